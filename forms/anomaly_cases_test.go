package forms

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// anomalyCasesFile holds changeCases and dateCases with the server's
// verdicts, for the phone's engine to be held to in the browser
// (web/e2e/anomaly.test.js).
var anomalyCasesFile = filepath.Join("testdata", "anomaly_cases.json")

// anomalyCases is that file: the form once, then each case.
type anomalyCases struct {
	Form  *Form         `json:"form"`
	Cases []anomalyCase `json:"cases"`
}

// anomalyCase is one case: the answers as sent, the school's rule data and
// what the phone knows of the past (its history and the period, as the
// form's context gives them); then what the server makes of them: the
// anomalies of the valid answers, worded as Problem words them, and the
// errors.
type anomalyCase struct {
	Name      string         `json:"name"`
	Raw       Values         `json:"raw"`
	School    map[string]any `json:"school"`
	Past      casePast       `json:"past"`
	Anomalies []caseAnomaly  `json:"anomalies"`
	Errors    []FieldError   `json:"errors"`
}

type casePast struct {
	History []Values `json:"history,omitempty"`
	Period  *Span    `json:"period,omitempty"`
}

type caseAnomaly struct {
	Field    string    `json:"field"`
	Kind     string    `json:"kind"`
	Value    float64   `json:"value"`
	Low      float64   `json:"low"`
	High     float64   `json:"high"`
	Previous []float64 `json:"previous"`
	Message  Text      `json:"message"`
}

// serverVerdicts runs every change and date case through Validate and
// Anomalies, as a submission is.
func serverVerdicts(t *testing.T) anomalyCases {
	f := changeForm(t)
	out := anomalyCases{Form: f, Cases: []anomalyCase{}}
	add := func(name string, raw Values, env Env, past casePast) {
		b, err := json.Marshal(raw)
		if err != nil {
			t.Fatal(err)
		}
		values, errs := f.Validate(b, env, false)
		c := anomalyCase{Name: name, Raw: raw, School: schoolData(env.School), Past: past,
			Anomalies: []caseAnomaly{}, Errors: append([]FieldError{}, errs...)}
		for _, a := range f.Anomalies(values, env) {
			c.Anomalies = append(c.Anomalies, caseAnomaly{Field: a.Field, Kind: a.Kind, Value: a.Value, Low: a.Low, High: a.High,
				Previous: append([]float64{}, a.Previous...), Message: a.Problem().Message})
		}
		out.Cases = append(out.Cases, c)
	}
	for _, c := range changeCases {
		env := Env{School: School{Classrooms: c.rooms}, History: c.history}
		add(c.name, Values{"moves": c.values}, env, casePast{History: c.history})
		if last := out.Cases[len(out.Cases)-1]; len(last.Errors) > 0 {
			t.Fatalf("%s: the answers of a change case are refused: %+v", c.name, last.Errors)
		}
	}
	for _, c := range dateCases {
		span := termSpan(c.today)
		add("date "+c.date+" on "+span.Today, Values{"moves": {"held": c.date}}, Env{Period: span}, casePast{Period: &span})
	}
	return out
}

// TestAnomalyCases keeps testdata/anomaly_cases.json to the server's
// verdicts on changeCases and dateCases; -update rewrites it.
func TestAnomalyCases(t *testing.T) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(serverVerdicts(t)); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(anomalyCasesFile, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(anomalyCasesFile)
	if err != nil {
		t.Fatalf("%v (run go test ./forms -run TestAnomalyCases -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s differs from the server's verdicts; rerun with -update if the change is intended", anomalyCasesFile)
	}
}
