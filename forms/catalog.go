package forms

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed catalog/*.yaml
var catalogFS embed.FS

// Catalog returns the built-in indicators, sorted by code, each marked
// Builtin and checked with CheckIndicator. Rules come back in the shapes
// JSON decoding produces (numbers float64).
func Catalog() ([]Indicator, error) {
	paths, err := fs.Glob(catalogFS, "catalog/*.yaml")
	if err != nil {
		return nil, err
	}
	var out []Indicator
	for _, p := range paths {
		b, err := catalogFS.ReadFile(p)
		if err != nil {
			return nil, err
		}
		ind, err := parseIndicator(b)
		if err != nil {
			return nil, fmt.Errorf("forms: catalog %s: %w", p, err)
		}
		if errs := CheckIndicator(ind); len(errs) > 0 {
			msgs := make([]string, len(errs))
			for i, e := range errs {
				msgs[i] = e.Field + ": " + e.Message.En
			}
			return nil, fmt.Errorf("forms: catalog %s: %s", p, strings.Join(msgs, "; "))
		}
		ind.Builtin = true
		out = append(out, ind)
	}
	slices.SortFunc(out, func(a, b Indicator) int { return strings.Compare(a.Code, b.Code) })
	for i := 1; i < len(out); i++ {
		if out[i].Code == out[i-1].Code {
			return nil, fmt.Errorf("forms: catalog: indicator %q defined twice", out[i].Code)
		}
	}
	return out, nil
}

// CatalogMap returns the built-in indicators keyed by code.
func CatalogMap() (map[string]Indicator, error) {
	list, err := Catalog()
	if err != nil {
		return nil, err
	}
	m := make(map[string]Indicator, len(list))
	for _, ind := range list {
		m[ind.Code] = ind
	}
	return m, nil
}

// parseIndicator reads one YAML indicator strictly and passes it through
// JSON so that its rules hold JSON types only.
func parseIndicator(b []byte) (Indicator, error) {
	var ind Indicator
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&ind); err != nil {
		return ind, err
	}
	j, err := json.Marshal(normalizeIndicator(ind))
	if err != nil {
		return ind, err
	}
	var out Indicator
	err = json.Unmarshal(j, &out)
	return out, err
}

func normalizeIndicator(ind Indicator) Indicator {
	ind.Fields = normalizeFields(ind.Fields)
	for i := range ind.Compliance {
		r := &ind.Compliance[i]
		r.Rule = normalize(r.Rule)
		for k, v := range r.Vars {
			r.Vars[k] = normalize(v)
		}
	}
	return ind
}

func normalizeFields(fields []Field) []Field {
	for i := range fields {
		f := &fields[i]
		f.Relevant, f.Compute = normalize(f.Relevant), normalize(f.Compute)
		for j := range f.Constraints {
			f.Constraints[j].Rule = normalize(f.Constraints[j].Rule)
		}
		f.Fields = normalizeFields(f.Fields)
	}
	return fields
}
