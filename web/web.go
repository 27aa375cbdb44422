// Package web holds the phone client: static files served at / and cached
// by its service worker for offline use.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var static embed.FS

// FS is the client's file tree, rooted at index.html.
var FS fs.FS = mustSub(static, "static")

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
