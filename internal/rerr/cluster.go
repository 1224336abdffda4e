package rerr

// Cluster commands on a server without cluster support.
const (
	ClusterDisabled = "ERR This instance has cluster support disabled"
)

// MODULE on a server that loads no modules.
const (
	ModuleLoad   = "ERR Error loading the extension. Please check the server logs."
	ModuleUnload = "ERR Error unloading module: no such module with that name"
)
