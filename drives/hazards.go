package drives

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// A school's reports keep its hazard ledger (see store.Hazard): the rows
// of the ledger section are its hazards, each with its id. Before a report
// is stored its rows are completed here; the store's write of a handed-in
// report brings it into the ledger.

// hasLedger reports whether a form keeps the hazard ledger.
func hasLedger(f *forms.Form) bool {
	for _, sec := range f.Sections {
		if sec.Indicator == store.LedgerSection {
			return slices.ContainsFunc(sec.Fields, func(x forms.Field) bool { return x.ID == store.LedgerRows && x.Type == forms.Repeat })
		}
	}
	return false
}

// ledgerRows returns the rows of the ledger section of values.
func ledgerRows(v forms.Values) []map[string]any {
	var out []map[string]any
	list, _ := v[store.LedgerSection][store.LedgerRows].([]any)
	for _, x := range list {
		if row, ok := x.(map[string]any); ok {
			out = append(out, row)
		}
	}
	return out
}

func rowID(row map[string]any) string {
	id, _ := row[store.LedgerID].(string)
	return id
}

// withLedger completes the ledger rows of validated values before they are
// stored. A row naming a hazard must name one of the school's, once; a row
// without an id is a new hazard and gets one — the id this submission
// gave it before, when a phone sends its rows again without the ids it
// was told; every open hazard the rows leave out is carried on as it
// stands (a hazard is closed, never dropped). The completed values are
// validated again, in e, so that carried rows count like the others.
func (s *Service) withLedger(ctx context.Context, f *forms.Form, d *store.Drive, school string, before, vals forms.Values, e forms.Env, draft bool) (forms.Values, []forms.FieldError, error) {
	if !hasLedger(f) {
		return vals, nil, nil
	}
	var ids []string
	for _, row := range append(ledgerRows(before), ledgerRows(vals)...) {
		ids = append(ids, rowID(row))
	}
	ledger, err := s.Store.LiveHazards(ctx, school, ids)
	if err != nil {
		return nil, nil, err
	}
	known := map[string]*store.Hazard{}
	for i := range ledger {
		known[ledger[i].ID] = &ledger[i]
	}
	rows := ledgerRows(vals)
	named := map[string]bool{}
	for _, row := range rows {
		named[rowID(row)] = true
	}
	// The ids this submission gave new hazards before and its rows no
	// longer name, oldest first: a row without an id takes the next.
	var mine []string
	given := map[string]bool{}
	for _, row := range ledgerRows(before) {
		id := rowID(row)
		given[id] = true
		if h := known[id]; id != "" && !named[id] && (h == nil || h.FoundIn == d.ID) {
			mine = append(mine, id)
		}
	}
	var errs []forms.FieldError
	seen := map[string]bool{}
	changed := false
	for i, row := range rows {
		id := rowID(row)
		path := fmt.Sprintf("%s.%s[%d].%s", store.LedgerSection, store.LedgerRows, i, store.LedgerID)
		switch {
		case id == "" && len(mine) > 0:
			id, mine = mine[0], mine[1:]
		case id == "":
			id = newHazardID(d.Period, func(id string) bool { return known[id] != nil || named[id] || given[id] })
		case seen[id]:
			errs = append(errs, forms.FieldError{Field: path, Code: "duplicate", Message: forms.Text{
				Zh: fmt.Sprintf("隐患 %s 在台账中出现了两次", id), En: fmt.Sprintf("hazard %s is listed twice", id)}})
		case known[id] == nil && !given[id]:
			errs = append(errs, forms.FieldError{Field: path, Code: "unknown_hazard", Message: forms.Text{
				Zh: fmt.Sprintf("本校隐患台账中没有编号为 %s 的隐患，新增隐患请将编号留空", id),
				En: fmt.Sprintf("the school's ledger has no hazard %s; leave the number empty for a new one", id)}})
		}
		if rowID(row) != id {
			row[store.LedgerID], changed = id, true
		}
		seen[id] = true
	}
	if len(errs) > 0 {
		return nil, errs, nil
	}
	list, _ := vals[store.LedgerSection][store.LedgerRows].([]any)
	for i := range ledger {
		if h := &ledger[i]; h.IsOpen() && !seen[h.ID] {
			list, changed = append(list, h.Row()), true
		}
	}
	if !changed {
		return vals, nil, nil
	}
	if vals[store.LedgerSection] == nil {
		vals[store.LedgerSection] = map[string]any{}
	}
	vals[store.LedgerSection][store.LedgerRows] = list
	raw, err := json.Marshal(vals)
	if err != nil {
		return nil, nil, fmt.Errorf("drives: carry the hazard ledger: %w", err)
	}
	out, errs := f.Validate(raw, e, draft)
	return out, errs, nil
}

// idLetters spell the random part of hazard ids: no 0/o, 1/l/i.
const idLetters = "abcdefghjkmnpqrstuvwxyz23456789"

// newHazardID returns an id for a new hazard found in a period ("2026-11-k3x9"),
// one taken does not report.
func newHazardID(period string, taken func(string) bool) string {
	for {
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		for i := range b {
			b[i] = idLetters[int(b[i])%len(idLetters)]
		}
		if id := period + "-" + string(b); !taken(id) {
			return id
		}
	}
}
