//go:build !unix

package main

// lockFile does not lock where flock is missing: there, stop the server
// before running a command on its data directory.
func lockFile(string) (func(), bool, error) { return func() {}, true, nil }
