# make test  - install what the tests need, lint, run every molecule scenario
# make demo  - deploy the sample service to a local sandbox host, print its URL
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export CONTAINERS_CONF := $(CURDIR)/scripts/containers.conf

.PHONY: help deps system-packages venv collections image image12 image13 wheels lint generate test benchmark \
	benchmark-speed benchmark-fleet benchmark-command-servers collection demo demo-clean clean

help:
	@echo "make test        install everything needed, lint, run every molecule scenario"
	@echo "make demo        deploy the sample app to a local sandbox host and ask it for its page"
	@echo "make demo-clean  remove the sandbox host"
	@echo "make benchmark   one redeploy under load on test hosts; prints requests, failures, latency"
	@echo "make benchmark-speed  fresh deploys of 1 and 3 hosts, and re-run/redeploy times before and after"
	@echo "make benchmark-fleet  rolling deploys through HAProxy for 1, 3 and 6 app hosts under GET and POST load"
	@echo "make benchmark-command-servers  a redeploy under load of uvicorn, Daphne, Sanic and Tornado apps"
	@echo "make collection  build the Ansible collection deploykit.web into dist/"
	@echo "make lint        yamllint, ansible-lint (production profile), files generated from the schema"
	@echo "make generate    rewrite the files generated from playbooks/vars/app_schema.yml"
	@echo "make deps        system packages, .venv, collections and the test-host image only"

system-packages:
	@scripts/install-system-packages.sh

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

venv: $(BIN)/.installed

collections: venv
	$(BIN)/ansible-galaxy collection install -r requirements.yml

# Test-host images: Debian 12 (bookworm) and 13 (trixie).
image: image12 image13

image12: system-packages
	@scripts/build-image.sh bookworm localhost/deploykit-debian:12

image13: system-packages
	@scripts/build-image.sh trixie localhost/deploykit-debian:13

# The test apps' Python packages, downloaded once and shared by every test host.
wheels: venv
	@scripts/wheelhouse.sh

deps: system-packages venv collections image wheels

lint: venv
	$(BIN)/python scripts/settings.py --check
	$(BIN)/yamllint --strict .
	$(BIN)/ansible-lint --profile production

generate: venv
	$(BIN)/python scripts/settings.py

test: deps
	@scripts/run-tests.sh $(SCENARIOS)

benchmark: deps
	@benchmarks/redeploy.sh

benchmark-speed: deps
	@benchmarks/speed.sh

benchmark-fleet: deps
	@benchmarks/fleet.sh

benchmark-command-servers: deps
	@benchmarks/command-servers.sh

collection: venv
	$(BIN)/ansible-galaxy collection build --force --output-path dist

demo: system-packages venv collections image12
	@scripts/demo.sh up

demo-clean:
	@scripts/demo.sh down

clean: demo-clean
	rm -rf .cache
