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

// prevData is the "prev" object of rule data: the previous period's values
// of one section, normalised.
func prevData(prev Values, code string) map[string]any {
	if m, ok := normalize(prev[code]).(map[string]any); ok {
		return m
	}
	return map[string]any{}
}

// fieldValues leaves the field values in rule data (it removes target,
// school, prev and row) and returns it.
func fieldValues(data map[string]any) map[string]any {
	for k := range reservedIDs {
		delete(data, k)
	}
	return data
}
