package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"
)

// decodeSubmissionRef is the decoder built on encoding/json's Token API that
// decodeSubmission replaced; it reads raw strictly: valid UTF-8, one JSON object, no
// duplicate keys, numbers as json.Number, nesting no deeper than maxDepth
// and lists no longer than maxList.
func decodeSubmissionRef(raw []byte, maxDepth, maxList int) (map[string]any, error) {
	if !utf8.Valid(raw) {
		return nil, decodeError{"utf8"}
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	tok, err := d.Token()
	if err != nil {
		return nil, decodeError{"json"}
	}
	if tok != json.Delim('{') {
		return nil, decodeError{"type"}
	}
	r := refReader{d: d, maxDepth: maxDepth, maxList: maxList}
	v, err := r.object(1)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return nil, decodeError{"json"}
	}
	return v, nil
}

type refReader struct {
	d        *json.Decoder
	maxDepth int
	maxList  int
}

func (r *refReader) value(depth int) (any, error) {
	tok, err := r.d.Token()
	if err != nil {
		return nil, decodeError{"json"}
	}
	switch tok {
	case json.Delim('{'):
		if depth+1 > r.maxDepth {
			return nil, decodeError{"depth"}
		}
		return r.object(depth + 1)
	case json.Delim('['):
		if depth+1 > r.maxDepth {
			return nil, decodeError{"depth"}
		}
		return r.array(depth + 1)
	}
	return tok, nil
}

func (r *refReader) object(depth int) (map[string]any, error) {
	m := map[string]any{}
	for r.d.More() {
		tok, err := r.d.Token()
		if err != nil {
			return nil, decodeError{"json"}
		}
		k, ok := tok.(string)
		if !ok {
			return nil, decodeError{"json"}
		}
		if _, dup := m[k]; dup {
			return nil, decodeError{"duplicate"}
		}
		v, err := r.value(depth)
		if err != nil {
			return nil, err
		}
		m[k] = v
	}
	if _, err := r.d.Token(); err != nil {
		return nil, decodeError{"json"}
	}
	return m, nil
}

func (r *refReader) array(depth int) ([]any, error) {
	a := []any{}
	for r.d.More() {
		if len(a) >= r.maxList {
			return nil, decodeError{"too_long"}
		}
		v, err := r.value(depth)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
	if _, err := r.d.Token(); err != nil {
		return nil, decodeError{"json"}
	}
	return a, nil
}
