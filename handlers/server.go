// Package handlers is Tianbao's HTTP API: routes, middleware and one small
// handler per resource and action.
package handlers

import (
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/cors"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/valyala/fasthttp"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/metrics"
	"github.com/tianbao-edu/tianbao/planning"
	"github.com/tianbao-edu/tianbao/store"
)

// Deps are what the handlers work with.
type Deps struct {
	Store       *store.Store
	Auth        *auth.Service
	Drives      *drives.Service
	Planning    *planning.Service
	Metrics     *metrics.Metrics
	Log         *slog.Logger
	Web         fs.FS // the phone client, served at /; optional
	BodyLimit   int
	CORSOrigins string // comma-separated; empty: no cross-origin access
	// TrustedProxies are the addresses (IPs or CIDRs) of the reverse
	// proxies in front: a request from one of them is from the address in
	// its X-Forwarded-For, which the per-address limits then count.
	TrustedProxies []string
	ReadTimeout    time.Duration
	WriteTimeout   time.Duration
}

type handler struct {
	Deps
}

// New returns the Fiber app with every route.
func New(d Deps) *fiber.App {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Metrics == nil {
		d.Metrics = metrics.New()
	}
	if d.BodyLimit == 0 {
		d.BodyLimit = 4 << 20
	}
	if d.ReadTimeout == 0 {
		d.ReadTimeout = 30 * time.Second
	}
	if d.WriteTimeout == 0 {
		d.WriteTimeout = 5 * time.Minute
	}
	limits := bodyLimits{large: d.BodyLimit}
	routes := &allowed{} // filled once the routes are in
	app := fiber.New(fiber.Config{
		AppName: "tianbao",
		// Strings from the request (path parameters, headers, queries) are
		// copies: fasthttp reuses its buffers for the next request, and a
		// string kept beyond this one (a cache key, a log line, a job)
		// would otherwise change under it.
		Immutable:             true,
		BodyLimit:             d.BodyLimit,
		ReadTimeout:           d.ReadTimeout,
		WriteTimeout:          d.WriteTimeout,
		IdleTimeout:           2 * time.Minute,
		ReadBufferSize:        16 << 10,
		ErrorHandler:          errorHandler(d.Log, d.Metrics, limits, routes),
		DisableStartupMessage: true,
		StrictRouting:         false,
		ProxyHeader:           proxyHeader(d.TrustedProxies),
		// Only a trusted proxy's X-Forwarded-For is believed.
		EnableTrustedProxyCheck: len(d.TrustedProxies) > 0,
		TrustedProxies:          d.TrustedProxies,
		EnableIPValidation:      true,
	})
	// Answers given while stopping say Connection: close, so no client
	// sends its next request down a connection about to be closed.
	app.Server().CloseOnShutdown = true
	app.Server().HeaderReceived = limits.onHeaders
	app.Use(withRequestID, withLog(d.Log), withMetrics(d.Metrics),
		recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: stackLogger(d.Log)}), securityHeaders,
		compress.New(compress.Config{Level: compress.LevelBestSpeed, Next: alreadyCompressed}))
	if d.CORSOrigins != "" {
		// Tokens travel in the Authorization header, never in cookies.
		app.Use(cors.New(cors.Config{AllowOrigins: d.CORSOrigins, AllowHeaders: "Authorization, Content-Type, If-Match, If-None-Match, Accept-Language",
			ExposeHeaders: "ETag, Location, Retry-After, X-Request-Id, Content-Disposition", MaxAge: 600}))
	}
	h := &handler{Deps: d}
	h.routes(app)
	*routes = allowedOf(app)
	guard(app)
	return app
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// guard answers what must not reach the routes, with the problem+json
// every other refusal has (Fiber would answer the first in plain text
// before any handler of ours runs):
//   - a method Fiber does not know (PROPFIND, anything made up): 405, as a
//     known method the path does not take;
//   - a request with two different Content-Length headers: 400, and the
//     connection closed, since where its body ends is anyone's guess.
func guard(app *fiber.App) {
	known := app.Config().RequestMethods
	serve := app.Server().Handler
	app.Server().Handler = func(rc *fasthttp.RequestCtx) {
		var refuse error
		switch {
		case !slices.Contains(known, string(rc.Method())):
			refuse = fiber.ErrMethodNotAllowed
		case conflictingLengths(rc.Request.Header.RawHeaders()):
			refuse = fail.New(fail.Invalid, "请求头 Content-Length 重复且不一致", "Conflicting Content-Length headers")
			rc.SetConnectionClose()
		default:
			serve(rc)
			return
		}
		c := app.AcquireCtx(rc)
		defer app.ReleaseCtx(c)
		if err := app.ErrorHandler(c, refuse); err != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
}

// conflictingLengths reports whether raw request headers carry
// Content-Length more than once with different values.
func conflictingLengths(raw []byte) bool {
	first := ""
	for line := range strings.SplitSeq(string(raw), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), fiber.HeaderContentLength) {
			continue
		}
		value = strings.TrimSpace(value)
		if first == "" {
			first = value
		} else if value != first {
			return true
		}
	}
	return false
}
func stackLogger(log *slog.Logger) func(*fiber.Ctx, any) {
	return func(c *fiber.Ctx, e any) {
		log.Error("panic", "request_id", requestID(c), "path", c.Path(), "panic", e)
	}
}

// alreadyCompressed skips compression for workbooks (xlsx files are zip).
func alreadyCompressed(c *fiber.Ctx) bool {
	p := c.Path()
	return strings.HasSuffix(p, ".xlsx") || strings.HasSuffix(p, "/download")
}
