package main

import (
	"io/fs"

	"github.com/tianbao-edu/tianbao/web"
)

// webFS is the phone client served at /.
func webFS() fs.FS { return web.FS }
