package handlers

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// allowed is the server's routes by path: which methods a path takes, for
// the Allow header of a 405.
type allowed []allowedRoute

type allowedRoute struct {
	segments []string // ":id" matches any segment
	methods  []string
}

// allowedOf collects the routes of app, middleware left out.
func allowedOf(app *fiber.App) allowed {
	var a allowed
	for _, r := range app.GetRoutes(true) {
		if r.Method == fiber.MethodHead {
			continue
		}
		segs := segments(r.Path)
		i := slices.IndexFunc(a, func(e allowedRoute) bool { return slices.Equal(e.segments, segs) })
		if i < 0 {
			a, i = append(a, allowedRoute{segments: segs}), len(a)
		}
		if !slices.Contains(a[i].methods, r.Method) {
			a[i].methods = append(a[i].methods, r.Method)
		}
	}
	return a
}

// of returns the methods a path takes, comma-separated ("" for none).
func (a allowed) of(path string) string {
	segs := segments(path)
	var out []string
	for _, e := range a {
		if matches(e.segments, segs) {
			out = append(out, e.methods...)
		}
	}
	slices.Sort(out)
	return strings.Join(slices.Compact(out), ", ")
}

func segments(path string) []string {
	return strings.Split(strings.Trim(strings.ToLower(path), "/"), "/")
}

func matches(pattern, segs []string) bool {
	if n := len(pattern); n > 0 && pattern[n-1] == "*" {
		return len(segs) >= n-1 && matches(pattern[:n-1], segs[:n-1])
	}
	if len(pattern) != len(segs) {
		return false
	}
	for i, p := range pattern {
		if !strings.HasPrefix(p, ":") && p != segs[i] {
			return false
		}
	}
	return true
}
