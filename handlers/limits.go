package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/tianbao-edu/tianbao/orgs"
)

// Body limits by route. The server reads a request's body before routing,
// so the limit of its route is chosen from the request line as soon as the
// headers are in: a body announced over it is refused before a byte of it
// is read, and a chunked one as soon as it passes the limit. Sign-in needs
// a few hundred bytes; only uploads, submissions and plan texts are big.
const (
	authBodyLimit  = 8 << 10  // sign-in and password change
	smallBodyLimit = 64 << 10 // every other JSON request
	uploadOverhead = 64 << 10 // multipart framing around an uploaded file
)

// bodyLimits decides a request's body limit from its method and path.
// large is the configured limit (TIANBAO_BODY_LIMIT): the limit of
// submissions, indicators and plans, and the ceiling of every route.
type bodyLimits struct{ large int }

func (b bodyLimits) of(method, path string) int { return min(b.route(method, path), b.large) }

func (b bodyLimits) route(method, path string) int {
	p := strings.TrimSuffix(strings.ToLower(path), "/") // routes match any case
	switch {
	case method == fiber.MethodGet || method == fiber.MethodHead || method == fiber.MethodDelete || method == fiber.MethodOptions:
		return smallBodyLimit
	case p == "/api/v1/auth/login" || p == "/api/v1/me/password" || p == "/api/v1/setup":
		return authBodyLimit
	case p == "/api/v1/orgs/import":
		return orgs.MaxUpload + uploadOverhead
	case strings.HasPrefix(p, "/api/v1/drives/") && strings.HasSuffix(p, "/submissions"),
		strings.HasPrefix(p, "/api/v1/submissions/") && strings.Count(p, "/") == 4,
		strings.HasPrefix(p, "/api/v1/indicators"), strings.HasPrefix(p, "/api/v1/plans"):
		return b.large
	}
	return smallBodyLimit
}

// onHeaders gives each request the body limit of its route.
func (b bodyLimits) onHeaders(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	uri := string(h.RequestURI())
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	if rest, ok := strings.CutPrefix(uri, "http://"); ok { // absolute form
		uri = rest[strings.IndexByte(rest+"/", '/'):]
	}
	return fasthttp.RequestConfig{MaxRequestBodySize: b.of(string(h.Method()), uri)}
}
