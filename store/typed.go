package store

import (
	"context"
	"fmt"
	"math"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/tianbao-edu/tianbao/forms"
)

// Answers are stored with the types a MongoDB tool expects: integer fields
// as int64, dates as BSON dates (midnight UTC of the day), other numbers
// as doubles, by the field types of the submission's form. In memory and
// in the API they stay as the form engine has them (float64 numbers,
// "2006-01-02" dates): normalize turns what the driver reads back into
// that.

// formOf returns a form version's definition; forms never change.
func (s *Store) formOf(ctx context.Context, version string) (*forms.Form, error) {
	if f, ok := s.forms.Load(version); ok {
		return f.(*forms.Form), nil
	}
	f, err := s.Form(ctx, version)
	if err != nil {
		return nil, err
	}
	s.forms.Store(version, f)
	return f, nil
}

// typedValues returns values with integer and date fields typed for
// storage; a value the form does not describe is kept as it is.
func typedValues(f *forms.Form, v forms.Values) map[string]any {
	if v == nil {
		return nil
	}
	out := make(map[string]any, len(v))
	for sec, fields := range v {
		defs := map[string]*forms.Field{}
		if f != nil {
			for i := range f.Sections {
				if f.Sections[i].Indicator == sec {
					for j := range f.Sections[i].Fields {
						defs[f.Sections[i].Fields[j].ID] = &f.Sections[i].Fields[j]
					}
				}
			}
		}
		out[sec] = typedFields(defs, fields)
	}
	return out
}

func typedFields(defs map[string]*forms.Field, fields map[string]any) map[string]any {
	out := make(map[string]any, len(fields))
	for id, v := range fields {
		out[id] = typedValue(defs[id], v)
	}
	return out
}

func typedValue(f *forms.Field, v any) any {
	if f == nil {
		return v
	}
	switch f.Type {
	case forms.Integer:
		if n, ok := v.(float64); ok && n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n)
		}
	case forms.Date:
		if s, ok := v.(string); ok {
			if t, err := time.Parse(time.DateOnly, s); err == nil {
				return t.UTC()
			}
		}
	case forms.Repeat:
		rows, ok := v.([]any)
		if !ok {
			return v
		}
		defs := map[string]*forms.Field{}
		for i := range f.Fields {
			defs[f.Fields[i].ID] = &f.Fields[i]
		}
		out := make([]any, len(rows))
		for i, r := range rows {
			if row, ok := r.(map[string]any); ok {
				out[i] = typedFields(defs, row)
			} else {
				out[i] = r
			}
		}
		return out
	}
	return v
}

// normalize turns values read from the database back into the form
// engine's: numbers as float64, dates as "2006-01-02", lists and objects
// as []any and map[string]any.
func normalize(v forms.Values) {
	for sec, fields := range v {
		v[sec] = normalizeObject(fields)
	}
}

func normalizeObject(m map[string]any) map[string]any {
	for k, x := range m {
		m[k] = normalizeValue(x)
	}
	return m
}

func normalizeValue(x any) any {
	switch t := x.(type) {
	case int32:
		return float64(t)
	case int64:
		return float64(t)
	case bson.DateTime:
		return t.Time().UTC().Format(time.DateOnly)
	case time.Time:
		return t.UTC().Format(time.DateOnly)
	case bson.A:
		return normalizeList(t)
	case []any:
		return normalizeList(t)
	case bson.M:
		return normalizeObject(t)
	case map[string]any:
		return normalizeObject(t)
	case bson.D:
		m := make(map[string]any, len(t))
		for _, e := range t {
			m[e.Key] = normalizeValue(e.Value)
		}
		return m
	}
	return x
}

func normalizeList(l []any) []any {
	out := make([]any, len(l))
	for i, x := range l {
		out[i] = normalizeValue(x)
	}
	return out
}

// storedDoc encodes a document with its "values" (and a revision's
// "state.values") typed by form.
func (s *Store) storedDoc(ctx context.Context, doc any, formVersion string, values forms.Values, stateValues forms.Values) (bson.D, error) {
	raw, err := bson.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("store: unable to encode: %w", err)
	}
	var d bson.D
	if err := bson.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("store: unable to encode: %w", err)
	}
	f, err := s.formOf(ctx, formVersion)
	if err != nil {
		f = nil // a form no longer stored: the values go as they are
	}
	for i := range d {
		switch d[i].Key {
		case "values":
			if values != nil {
				d[i].Value = typedValues(f, values)
			}
		case "state":
			if stateValues == nil {
				continue
			}
			if st, ok := d[i].Value.(bson.D); ok {
				for j := range st {
					if st[j].Key == "values" {
						st[j].Value = typedValues(f, stateValues)
					}
				}
			}
		}
	}
	return d, nil
}

// storedRevision encodes a revision with its values, and its state's,
// typed by the form they answer.
func (s *Store) storedRevision(ctx context.Context, r *Revision) (bson.D, error) {
	version := r.FormVersion
	var state forms.Values
	if r.State != nil {
		state = r.State.Values
		if version == "" {
			version = r.State.FormVersion
		}
	}
	return s.storedDoc(ctx, r, version, r.Values, state)
}
