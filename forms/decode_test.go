package forms

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// decodeCases are texts on which a hand-written decoder could easily part
// from encoding/json: error order, number and literal ends, escapes.
var decodeCases = []string{
	``, ` `, `{}`, ` {} `, `{}x`, `{} {}`, `{}"a"`, `{} "a`, `[`, `[]`, `]`, `}`, `,`, `:`, `"a"`, `"a`, `123x`, `-`,
	`tru`, `truex`, `nulll`, `nul`, `1.`, `1e`, `1e+`, `01`, `-01`, `0.5e-3`, `1E+2`, `{"a":1}`, `{"a":1,}`, `{,}`,
	`{"a" 1}`, `{"a":}`, `{"a"}`, `{"a":1 "b":2}`, `{"a":1,"a":2}`, `{"a":1,"a":}`, `{"a":{"b":{"c":{"d":1}}}}`,
	`{"a":[1,2,3,4]}`, `{"a":[1,2,3,,]}`, `{"a":[1,2,3}`, `{"a":[1 2]}`, `{"a":[,1]}`, `{"a":[1,]}`, `{"a":[]}`,
	`{"a":[01]}`, `{"a":[truefalse]}`, `{"a":[1]x}`, `{"a":1]`, `{"a":"\u00e9\ud83d\ude00\ud800\udc00"}`,
	`{"a":"\ud800"}`, `{"a":"\ud800\u0041"}`, `{"a":"\udc00\ud800"}`, `{"a":"\ud800\uzzzz"}`, `{"a":"\'"}`,
	`{"a":"\x"}`, `{"a":"\u12"}`, `{"a":"\"\\\/\b\f\n\r\t"}`, "{\"a\":\"\t\"}", "{\"a\":\"é\"}", `{"\u0061":1,"a":2}`,
	"\ufeff{}", "{\"a\":1}\n", `{"a":-}`, `{"a":-x}`, `{"a":.5}`, `{"a":+1}`, `{"a":1.5.5}`, `{"a":1e5e5}`,
	`{"a":[[[[1]]]]}`, `{"a":[{"b":[1,2]},{"b":[]}]}`, `{"a":{"b":1,"b":2},"c":[1,2,3,4,5]}`, `{"a":nul}`,
	`{"a":{"b":[1,2,3,4,5,6]},"a":1}`, `{"a":[1,2,3,4,5,6,{"b":{"c":{}}}]}`, "{\"a\":\"\xff\"}", `{"a":"`,
	`{"a":"\`, `{"a":"\u`, `{"a":1e400,"b":-0,"c":1E-400}`, `{"a":true,"b":false,"c":null}`,
}

func checkDecode(t *testing.T, raw []byte, maxDepth, maxList int) {
	t.Helper()
	got, err := decodeSubmission(raw, maxDepth, maxList)
	ref, wantErr := decodeSubmissionRef(raw, maxDepth, maxList)
	want, _ := numbersAsFloats(ref).(map[string]any)
	var e1, e2 decodeError
	errors.As(err, &e1)
	errors.As(wantErr, &e2)
	if e1 != e2 || (err == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
		t.Fatalf("%q (depth %d, list %d): got %#v %v, encoding/json gives %#v %v", raw, maxDepth, maxList, got, err, want, wantErr)
	}
}

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	inputs := decodeCases
	files, _ := filepath.Glob("testdata/fuzz/FuzzValidate/*")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.SplitSeq(string(b), "\n") {
			if q, ok := strings.CutPrefix(line, "[]byte("); ok {
				s, err := strconv.Unquote(strings.TrimSuffix(q, ")"))
				if err != nil {
					t.Fatal(name, err)
				}
				inputs = append(inputs, s)
			}
		}
	}
	_, bench := benchSubmission(t)
	inputs = append(inputs, string(bench))
	for _, s := range inputs {
		for _, lim := range [][2]int{{2, 1}, {3, 3}, {4, 5}, {6, 201}} {
			checkDecode(t, []byte(s), lim[0], lim[1])
			for i := range len(s) {
				checkDecode(t, []byte(s[:i]), lim[0], lim[1])
			}
		}
	}
}

// FuzzDecode compares decodeSubmission with the encoding/json decoder it
// replaced on any bytes.
func FuzzDecode(f *testing.F) {
	for _, s := range decodeCases {
		f.Add([]byte(s), uint8(4), uint8(3))
	}
	f.Fuzz(func(t *testing.T, raw []byte, depth, list uint8) {
		checkDecode(t, raw, int(depth%8)+1, int(list%8)+1)
	})
}

// numbersAsFloats turns the json.Number values of the reference decoder
// into the float64 values decodeSubmission gives.
func numbersAsFloats(v any) any {
	switch x := v.(type) {
	case json.Number:
		n, _ := strconv.ParseFloat(string(x), 64)
		return n
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = numbersAsFloats(e)
		}
		return out
	case map[string]any:
		if x == nil {
			return x
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = numbersAsFloats(e)
		}
		return out
	}
	return v
}
