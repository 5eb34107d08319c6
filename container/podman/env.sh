# Sourced by the scripts that run podman: engine settings from the files beside this one instead of
# /etc/containers, so nothing on the machine has to be configured by hand.
_meshscrape_podman=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export CONTAINERS_CONF="${CONTAINERS_CONF:-$_meshscrape_podman/containers.conf}"
export CONTAINERS_STORAGE_CONF="${CONTAINERS_STORAGE_CONF:-$_meshscrape_podman/storage.conf}"
unset _meshscrape_podman
