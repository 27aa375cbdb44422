package handlers_test

import "fmt"

// validValues is a complete, compliant monthly submission of the fixture's
// plan (canteen, bullying, lighting) with n classrooms.
func validValues(n int) map[string]any {
	rooms := make([]any, n)
	for i := range rooms {
		rooms[i] = map[string]any{"name": fmt.Sprintf("%d01 教室", i+1), "desk_lux": 320.5, "desk_uniformity": 0.75,
			"board_lamps": true, "board_lux": 520, "board_uniformity": 0.82, "cct": 4500, "ra": 85, "ugr": 17, "lpd": 9.5}
	}
	return map[string]any{
		"canteen": map[string]any{"meal_days": 20, "meals": []any{"lunch"}, "accompany_days": 20, "sample_days": 20, "sample_grams_min": 130,
			"sample_hours_min": 48, "canteen_staff": 8, "staff_certified": 8, "purchase_checked": true, "stock_records": true,
			"cost_accounted": true, "camera_online": true, "self_inspected": true, "problems_found": 0},
		"bullying": map[string]any{"screening_done": true, "students_covered": 80, "classes_covered": 20,
			"found_physical": 0, "found_verbal": 0, "found_property": 0, "found_online": 0, "zero_report": true},
		"lighting": map[string]any{"classrooms": rooms},
	}
}
