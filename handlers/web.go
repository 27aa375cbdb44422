package handlers

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
)

// webRoutes serves the phone client, when there is one, at /.
func (h *handler) webRoutes(app *fiber.App) {
	if h.Web == nil {
		return
	}
	app.Use("/", filesystem.New(filesystem.Config{Root: http.FS(h.Web), Index: "index.html", MaxAge: 0}))
}
