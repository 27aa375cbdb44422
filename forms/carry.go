package forms

// Carried returns what a new period starts with: of the school's values in
// the previous period, those of the fields marked Carry, and of each repeat
// group with carried fields one row per earlier row holding those fields.
func (f *Form) Carried(prev Values) Values {
	out := Values{}
	for _, sec := range f.Sections {
		vals := prev[sec.Indicator]
		got := map[string]any{}
		for _, fd := range sec.Fields {
			v, ok := vals[fd.ID]
			if !ok || v == nil {
				continue
			}
			if fd.Carry {
				got[fd.ID] = v
				continue
			}
			if fd.Type != Repeat {
				continue
			}
			rows, _ := v.([]any)
			var kept []any
			for _, r := range rows {
				row, _ := r.(map[string]any)
				k := map[string]any{}
				for _, rf := range fd.Fields {
					if x, ok := row[rf.ID]; rf.Carry && ok && x != nil {
						k[rf.ID] = x
					}
				}
				if len(k) > 0 {
					kept = append(kept, k)
				}
			}
			if len(kept) > 0 {
				got[fd.ID] = kept
			}
		}
		if len(got) > 0 {
			out[sec.Indicator] = got
		}
	}
	return out
}
