package main

import "io/fs"

// webFS is the phone client served at /.
func webFS() fs.FS { return nil }
