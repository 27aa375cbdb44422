package handlers

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// TestOpenAPIListsEveryErrorCode: the document's problem codes are exactly
// the codes the error handler answers with.
func TestOpenAPIListsEveryErrorCode(t *testing.T) {
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas struct {
				Problem struct {
					Properties struct {
						Code struct {
							Enum []string `json:"enum"`
						} `json:"code"`
					} `json:"properties"`
				} `json:"Problem"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	documented := doc.Components.Schemas.Problem.Properties.Code.Enum
	var answered []string
	for code := range statusOf {
		answered = append(answered, string(code))
	}
	slices.Sort(documented)
	slices.Sort(answered)
	if !slices.Equal(documented, answered) {
		t.Errorf("openapi.json lists codes %q, the error handler answers %q", documented, answered)
	}
}
