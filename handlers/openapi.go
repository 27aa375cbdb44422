package handlers

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openapiDoc is the API's OpenAPI 3.1 description, kept beside the routes
// it describes; a test fails when the two drift apart.
//
//go:embed openapi.json
var openapiDoc []byte

// openapiRoutes serves the document at /api/openapi.json.
func (h *handler) openapiRoutes(app *fiber.App) {
	app.Get("/api/openapi.json", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
		return c.Send(openapiDoc)
	})
}
