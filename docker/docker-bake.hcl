// The image of every Podium service, all built from docker/Dockerfile (one target per app in apps/; the
// deploy-checks tests fail when an app has no target here).
//
//   REGISTRY=registry.example.org/podium TAG=0.1.0 docker buildx bake -f docker/docker-bake.hcl           # all
//   REGISTRY=registry.example.org/podium TAG=0.1.0 docker buildx bake -f docker/docker-bake.hcl schedules # one
//   ... --push to push them.

variable "REGISTRY" {
  default = "registry.example.org/podium"
}

variable "TAG" {
  default = "0.1.0"
}

group "default" {
  targets = ["accreditation", "entries", "results-distribution", "results-ingest", "schedules", "volunteers", "workforce"]
}

target "_service" {
  context    = "."
  dockerfile = "docker/Dockerfile"
  platforms  = ["linux/amd64"]
}

target "accreditation" {
  inherits = ["_service"]
  args     = { SERVICE = "accreditation" }
  tags     = ["${REGISTRY}/accreditation:${TAG}"]
}

target "entries" {
  inherits = ["_service"]
  args     = { SERVICE = "entries" }
  tags     = ["${REGISTRY}/entries:${TAG}"]
}

target "results-distribution" {
  inherits = ["_service"]
  args     = { SERVICE = "results-distribution" }
  tags     = ["${REGISTRY}/results-distribution:${TAG}"]
}

target "results-ingest" {
  inherits = ["_service"]
  args     = { SERVICE = "results-ingest" }
  tags     = ["${REGISTRY}/results-ingest:${TAG}"]
}

target "schedules" {
  inherits = ["_service"]
  args     = { SERVICE = "schedules" }
  tags     = ["${REGISTRY}/schedules:${TAG}"]
}

target "volunteers" {
  inherits = ["_service"]
  args     = { SERVICE = "volunteers" }
  tags     = ["${REGISTRY}/volunteers:${TAG}"]
}

target "workforce" {
  inherits = ["_service"]
  args     = { SERVICE = "workforce" }
  tags     = ["${REGISTRY}/workforce:${TAG}"]
}
