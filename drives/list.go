package drives

import (
	"context"
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// ListQuery selects and orders the submissions a drive received, a page
// at a time.
type ListQuery struct {
	Under   string // one unit of the caller's scope
	Status  string // draft, submitted, returned or approved; "" for any
	Late    bool   // late ones only
	Failing bool   // only those failing an indicator
	Search  string // in the school's code or name
	Sort    string // school (default), updated (newest first), failures (most first)
	After   string // the Next of the page before
	Limit   int    // 50 by default, 200 at most
	Values  bool   // with the answers
}

// ListItem is one submission in a list.
type ListItem struct {
	ID          string       `json:"id"`
	School      string       `json:"school"`
	SchoolName  string       `json:"schoolName"`
	Group       string       `json:"group"`
	GroupName   string       `json:"groupName"`
	Status      string       `json:"status"`
	Late        bool         `json:"late"`
	Version     int          `json:"version"`
	FormVersion string       `json:"formVersion"`
	SubmittedAt time.Time    `json:"submittedAt,omitzero"`
	UpdatedAt   time.Time    `json:"updatedAt"`
	Failures    int          `json:"failures"`
	Values      forms.Values `json:"values,omitempty"`
}

// Page is a page of a list: Next continues it ("" at its end); Total
// counts what the query selects on every page.
type Page struct {
	Submissions []ListItem `json:"submissions"`
	Total       int        `json:"total"`
	Next        string     `json:"next"`
}

var (
	listSorts    = []string{"", "school", "updated", "failures"}
	listStatuses = []string{"", store.StatusDraft, store.StatusSubmitted, store.StatusReturned, store.StatusApproved}
)

// List answers a page of the submissions a drive received in the caller's
// scope: from the drive's sheet, the answers read only for the page.
func (s *Service) List(ctx context.Context, u *store.User, d *store.Drive, q ListQuery) (*Page, error) {
	switch {
	case !slices.Contains(listSorts, q.Sort):
		return nil, fail.Field("sort", "option", "排序须为 school、updated 或 failures", "sort must be school, updated or failures")
	case !slices.Contains(listStatuses, q.Status):
		return nil, fail.Field("status", "option", "状态须为 draft、submitted、returned 或 approved", "status must be draft, submitted, returned or approved")
	case q.Limit < 0 || q.Limit > 200:
		return nil, fail.Field("limit", "range", "每页 1–200 条", "limit must be 1–200")
	case len(q.Search) > 100:
		return nil, fail.Field("search", "max_length", "搜索词过长", "search is too long")
	}
	after, err := decodeCursor(q.After)
	if err != nil {
		return nil, err
	}
	if q.Limit == 0 {
		q.Limit = 50
	}
	v, err := s.viewOf(ctx, u, d, q.Under)
	if err != nil {
		return nil, err
	}
	type keyed struct {
		key  string
		item ListItem
	}
	var all []keyed
	for _, school := range v.schools {
		e := v.entries[school.ID]
		if e == nil || !q.selects(e, school) {
			continue
		}
		g := v.group(school)
		it := ListItem{ID: e.ID, School: school.ID, SchoolName: school.Name, Group: g, GroupName: v.groupName(g),
			Status: e.Status, Late: e.Late, Version: e.Version, FormVersion: e.FormVersion,
			SubmittedAt: e.SubmittedAt, UpdatedAt: e.UpdatedAt, Failures: e.Failures()}
		all = append(all, keyed{sortKey(q.Sort, &it), it})
	}
	slices.SortFunc(all, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	page := &Page{Submissions: []ListItem{}, Total: len(all)}
	start, _ := slices.BinarySearchFunc(all, after, func(k keyed, after string) int {
		if k.key <= after {
			return -1
		}
		return 1
	})
	end := min(start+q.Limit, len(all))
	var schools []string
	for _, k := range all[start:end] {
		page.Submissions = append(page.Submissions, k.item)
		schools = append(schools, k.item.School)
	}
	if end < len(all) {
		page.Next = base64.RawURLEncoding.EncodeToString([]byte(all[end-1].key))
	}
	if q.Values {
		i := 0
		for sub, err := range s.Store.Answers(ctx, d.ID, schools) {
			if err != nil {
				return nil, err
			}
			if sub != nil {
				page.Submissions[i].Values = sub.Values
			}
			i++
		}
	}
	return page, nil
}

func (q *ListQuery) selects(e *store.Entry, school *store.Org) bool {
	switch {
	case q.Status != "" && e.Status != q.Status,
		q.Late && !e.Late,
		q.Failing && e.Failures() == 0:
		return false
	}
	return q.Search == "" || strings.Contains(school.ID, q.Search) || strings.Contains(school.Name, q.Search)
}

// sortKey orders items as the sort asks, the school code breaking ties.
func sortKey(sort string, it *ListItem) string {
	switch sort {
	case "updated":
		return fmt.Sprintf("%019d|%s", math.MaxInt64-it.UpdatedAt.UnixMilli(), it.School)
	case "failures":
		return fmt.Sprintf("%03d|%s", 999-min(it.Failures, 999), it.School)
	}
	return it.School
}

func decodeCursor(after string) (string, error) {
	if after == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(after)
	if err != nil || len(b) > 200 {
		return "", fail.Field("after", "cursor", "分页标记无效，请从第一页重新开始", "after is not a page marker; start from the first page")
	}
	return string(b), nil
}
