package forms

// schoolData is the "school" object of rule data.
func schoolData(s School) map[string]any {
	stages := make([]any, len(s.Stages))
	for i, st := range s.Stages {
		stages[i] = st
	}
	return map[string]any{
		"code": s.Code, "stages": stages, "classrooms": float64(s.Classrooms),
		"students": float64(s.Students), "public": s.Public, "urban": s.Urban,
	}
}

// pastData are the "prev" and "prevYear" objects of one section's rule
// data: its values in the previous period and in the same period of the
// previous year, normalised; empty objects when there are none.
type pastData struct{ prev, year map[string]any }

func earlier(env Env, code string) pastData {
	return pastData{prev: sectionData(env.Previous, code), year: sectionData(env.PreviousYear, code)}
}

// explainedData is a section's "explained" object: every field's id, true
// when the school gave a 说明 for it.
func explainedData(env Env, cs *cSection) map[string]any {
	out := make(map[string]any, len(cs.fields))
	for _, cf := range cs.fields {
		out[cf.f.ID] = env.Explained[cs.sec.Indicator+"."+cf.f.ID]
	}
	return out
}

func sectionData(vals Values, code string) map[string]any {
	if m, ok := normalize(vals[code]).(map[string]any); ok {
		return m
	}
	return map[string]any{}
}

// fieldValues leaves the field values in rule data (it removes target,
// school, prev, prevYear and row) and returns it.
func fieldValues(data map[string]any) map[string]any {
	for k := range reservedIDs {
		delete(data, k)
	}
	return data
}
