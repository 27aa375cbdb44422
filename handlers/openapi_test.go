package handlers_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/handlers"
)

type openapiOperation struct {
	OperationID string         `json:"operationId"`
	Summary     string         `json:"summary"`
	Responses   map[string]any `json:"responses"`
	Planned     bool           `json:"x-planned"`
}

type openapiDocument struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

var fiberParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// loadOpenAPI reads handlers/openapi.json: its operations by "METHOD path".
func loadOpenAPI(t *testing.T) ([]byte, map[string]openapiOperation) {
	t.Helper()
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc openapiDocument
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	ops := map[string]openapiOperation{}
	for path, item := range doc.Paths {
		for method, body := range item {
			if !slices.Contains(httpMethods, method) {
				continue
			}
			var op openapiOperation
			if err := json.Unmarshal(body, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			ops[strings.ToUpper(method)+" "+path] = op
		}
	}
	return raw, ops
}

// TestOpenAPIDescribesEveryRoute keeps the document and the routes in step:
// every registered route is documented, every documented operation is
// registered unless marked x-planned, and a planned one that is registered
// must lose its mark.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	_, ops := loadOpenAPI(t)
	app := handlers.New(handlers.Deps{})
	registered := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		if r.Method == http.MethodHead || r.Method == "USE" {
			continue
		}
		key := r.Method + " " + fiberParam.ReplaceAllString(r.Path, "{$1}")
		registered[key] = true
		op, ok := ops[key]
		switch {
		case !ok:
			t.Errorf("%s is served but missing from handlers/openapi.json", key)
		case op.Planned:
			t.Errorf("%s is served now: remove its \"x-planned\" mark from handlers/openapi.json and check its description", key)
		}
	}
	if len(registered) < 40 {
		t.Fatalf("only %d routes registered; is the route table empty?", len(registered))
	}
	ids := map[string]string{}
	for key, op := range ops {
		if !registered[key] && !op.Planned {
			t.Errorf("%s is documented but not served (mark it \"x-planned\" if it is coming)", key)
		}
		if op.OperationID == "" {
			t.Errorf("%s has no operationId", key)
		} else if other, dup := ids[op.OperationID]; dup {
			t.Errorf("%s and %s share operationId %q", key, other, op.OperationID)
		}
		ids[op.OperationID] = key
		if strings.TrimSpace(op.Summary) == "" {
			t.Errorf("%s has no summary", key)
		}
		if len(op.Responses) == 0 {
			t.Errorf("%s has no responses", key)
		}
	}
}

// TestOpenAPIServed checks the served document is the one in the repo, once
// its route is registered.
func TestOpenAPIServed(t *testing.T) {
	raw, _ := loadOpenAPI(t)
	app := handlers.New(handlers.Deps{})
	if !slices.ContainsFunc(app.GetRoutes(true), func(r fiber.Route) bool { return r.Path == "/api/openapi.json" }) {
		t.Skip("GET /api/openapi.json is not registered yet")
	}
	res, err := app.Test(httptest.NewRequest(http.MethodGet, "/api/openapi.json", nil))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !bytes.Equal(body, raw) {
		t.Errorf("GET /api/openapi.json: %d, %d bytes; want 200 and the %d bytes of openapi.json", res.StatusCode, len(body), len(raw))
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
}
