package handlers

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tianbao-edu/tianbao/metrics"
)

// withMetrics counts requests and their latency by route pattern (never by
// raw path, so labels stay few).
func withMetrics(m *metrics.Metrics) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		status := answer(c, c.Next())
		// Fiber reuses its strings after the request: the registry keeps
		// label values, so they are copied.
		route, method := strings.Clone(c.Route().Path), strings.Clone(c.Method())
		if status == fiber.StatusNotFound && route == "/" {
			route = "unmatched"
		}
		m.Requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
		m.Latency.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
		return nil
	}
}

func metricsHandler(m *metrics.Metrics) fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
}
