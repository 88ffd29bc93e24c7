//go:build race

package e2e

// buildFlags build the server with the race detector when the tests run
// with it, so that races in the real process under parallel load fail the
// run (the detector makes the process exit with status 66).
var buildFlags = []string{"-race"}
