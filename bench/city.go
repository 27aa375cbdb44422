package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// City is the size of the city Build makes.
type City struct {
	Schools int // schools in all
	Months  int // months of monthly drives, the current one included
	// Password is every account's password.
	Password string
	// Now is the end of the history: the current month's drive is open.
	Now time.Time
	Loc *time.Location
	Log io.Writer
}

// The city's codes: the bureau 330100, its districts 3301NN, their schools
// 0 + district + NNN (as the demo city's are).
const (
	Root         = "330100"
	perDistrict  = 250
	minDistricts = 3
)

// Built says what Build made.
type Built struct {
	Districts   []string
	Schools     []*store.Org
	Drives      []store.Drive // oldest first
	Submissions int
}

// stageMix gives a school's stages by its number: a third kindergartens,
// then primary, junior, senior and nine-year schools as a city has them.
func stageMix(i int) []string {
	switch i % 12 {
	case 0, 1, 2, 3:
		return []string{forms.Kindergarten}
	case 4, 5, 6, 7:
		return []string{forms.Primary}
	case 8, 9:
		return []string{forms.Junior}
	case 10:
		return []string{forms.Senior}
	}
	return []string{forms.Primary, forms.Junior}
}

// Build fills an empty database with a city: the bureau, its districts and
// schools, an account for each (admin, district-<code>, school-<code>), a
// plan of every catalog indicator, monthly and termly schedules that
// started c.Months months ago, their drives, and the schools' submissions
// to them — most on time, some late, some drafts, some returned and some
// approved — written through the drives service as the server writes them.
func Build(ctx context.Context, st *store.Store, a *auth.Service, c City) (*Built, error) {
	if c.Loc == nil {
		c.Loc = time.Local
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	d := drives.New(st, func() time.Time { return c.Now }, c.Loc, nil)
	b := &Built{}
	if err := b.orgs(ctx, st, a, c); err != nil {
		return nil, err
	}
	start := time.Date(c.Now.In(c.Loc).Year(), c.Now.In(c.Loc).Month()-time.Month(c.Months-1), 1, 0, 0, 0, 0, c.Loc)
	if err := plan(ctx, st, start); err != nil {
		return nil, err
	}
	if _, err := d.Tick(ctx); err != nil {
		return nil, err
	}
	all, err := st.Drives(ctx, time.Time{})
	if err != nil {
		return nil, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].OpensAt.Before(all[j].OpensAt) })
	b.Drives = all
	fmt.Fprintf(c.Log, "%d schools in %d districts, %d drives\n", len(b.Schools), len(b.Districts), len(all))
	prev := map[string]map[string]forms.Values{} // schedule → school → last values
	for i := range all {
		n, err := b.fill(ctx, d, st, &all[i], prev, c)
		if err != nil {
			return nil, fmt.Errorf("bench: drive %s: %w", all[i].ID, err)
		}
		b.Submissions += n
		fmt.Fprintf(c.Log, "%s: %d submissions\n", all[i].ID, n)
	}
	return b, nil
}

// Load reads back what Build made in a database, to time it again.
func Load(ctx context.Context, st *store.Store) (*Built, error) {
	tree, err := st.Tree(ctx)
	if err != nil {
		return nil, err
	}
	b := &Built{Schools: tree.Schools(Root)}
	for _, d := range tree.Children(Root) {
		if d.Kind != store.KindSchool {
			b.Districts = append(b.Districts, d.ID)
		}
	}
	if b.Drives, err = st.Drives(ctx, time.Time{}); err != nil {
		return nil, err
	}
	sort.Slice(b.Drives, func(i, j int) bool { return b.Drives[i].OpensAt.Before(b.Drives[j].OpensAt) })
	if len(b.Schools) == 0 || len(b.Drives) == 0 {
		return nil, fmt.Errorf("bench: the database holds no city built by bench-scale")
	}
	return b, nil
}

func (b *Built) orgs(ctx context.Context, st *store.Store, a *auth.Service, c City) error {
	hash, err := a.HashPassword(c.Password)
	if err != nil {
		return err
	}
	now := c.Now.UTC()
	user := func(name, full, role string, o *store.Org) error {
		return st.InsertUser(ctx, &store.User{ID: name, Username: name, Name: full, Role: role, Org: o.ID,
			OrgPath: o.Path, PasswordHash: hash, CreatedAt: now})
	}
	root := &store.Org{ID: Root, Name: "江城市教育局", Kind: store.KindCity, Path: []string{Root}, UpdatedAt: now}
	if err := st.PutOrg(ctx, root); err != nil {
		return err
	}
	if err := user("admin", "市教育局管理员", store.RoleAdmin, root); err != nil {
		return err
	}
	nd := max(minDistricts, (c.Schools+perDistrict-1)/perDistrict)
	dists := make([]*store.Org, nd)
	for i := range dists {
		id := fmt.Sprintf("3301%02d", i+1)
		dists[i] = &store.Org{ID: id, Name: fmt.Sprintf("第%d区教育局", i+1), Kind: store.KindDistrict, Parent: Root,
			Path: []string{Root, id}, UpdatedAt: now}
		if err := st.PutOrg(ctx, dists[i]); err != nil {
			return err
		}
		if err := user("district-"+id, dists[i].Name, store.RoleDistrict, dists[i]); err != nil {
			return err
		}
		b.Districts = append(b.Districts, id)
	}
	return parallel(c.Schools, func(i int) error {
		dist := dists[i%nd]
		code := fmt.Sprintf("0%s%03d", dist.ID, i/nd+1)
		stages := stageMix(i)
		o := &store.Org{ID: code, Name: fmt.Sprintf("%s第%d%s", dist.Name[:len(dist.Name)-len("教育局")], i/nd+1, stageName(stages)),
			Kind: store.KindSchool, Parent: dist.ID, Path: []string{Root, dist.ID, code}, Stages: stages,
			Public: i%9 != 0, Urban: i%3 != 0, Classrooms: 6 + i%30, Students: 150 + 37*(i%40),
			Contact: fmt.Sprintf("联系人%d", i+1), Phone: fmt.Sprintf("139%08d", i+1), UpdatedAt: now}
		if err := st.PutOrg(ctx, o); err != nil {
			return err
		}
		b.add(o)
		return user("school-"+code, o.Name, store.RoleSchool, o)
	})
}

var addMu sync.Mutex

func (b *Built) add(o *store.Org) {
	addMu.Lock()
	defer addMu.Unlock()
	i, _ := slices.BinarySearchFunc(b.Schools, o.ID, func(x *store.Org, id string) int {
		switch {
		case x.ID < id:
			return -1
		case x.ID > id:
			return 1
		}
		return 0
	})
	b.Schools = slices.Insert(b.Schools, i, o)
}

func stageName(stages []string) string {
	switch {
	case len(stages) > 1:
		return "九年一贯制学校"
	case stages[0] == forms.Kindergarten:
		return "幼儿园"
	case stages[0] == forms.Primary:
		return "小学"
	case stages[0] == forms.Junior:
		return "中学"
	}
	return "高级中学"
}

// plan stores a plan of every catalog indicator (lighting checked monthly,
// as the demo city does) with a monthly and a termly schedule from start.
func plan(ctx context.Context, st *store.Store, start time.Time) error {
	inds, err := forms.CatalogMap()
	if err != nil {
		return err
	}
	var items []forms.PlanItem
	for code := range inds {
		it := forms.PlanItem{Indicator: code}
		if code == "lighting" {
			it.Frequency = forms.Monthly
		}
		items = append(items, it)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Indicator < items[j].Indicator })
	p := &store.PlanDoc{Plan: forms.Plan{ID: "plan-bench", Name: "学校安全与健康工作要点", Year: start.Year(), Items: items},
		UpdatedAt: start.UTC(), UpdatedBy: "admin"}
	if err := st.InsertPlan(ctx, p); err != nil {
		return err
	}
	for _, sc := range []store.Schedule{
		{ID: "monthly", Name: "月度填报", Frequency: forms.Monthly, DueDay: 10, CloseDay: 20},
		{ID: "termly", Name: "学期填报", Frequency: forms.Termly, DueDay: 15, CloseDay: 30},
	} {
		sc.Plan, sc.Scope, sc.TZ, sc.Active, sc.Reminders = p.ID, store.Scope{Org: Root}, start.Location().String(), true, []int{-24}
		sc.CreatedAt, sc.CreatedBy = start.UTC(), "admin"
		if err := st.InsertSchedule(ctx, &sc); err != nil {
			return err
		}
	}
	return nil
}

// fill has the schools answer one drive: on time a day and a half after
// it opens, late a day after it was due, drafts, and the district's
// reviews. The drive still open gets what was answered so far. Each
// answer is validated and scored by the drive's form as the server does,
// and the drive's answers are stored together (store.ImportSubmissions).
func (b *Built) fill(ctx context.Context, d *drives.Service, st *store.Store, drive *store.Drive, prev map[string]map[string]forms.Values, city City) (int, error) {
	admin := &store.User{ID: "admin", Role: store.RoleAdmin, Org: Root, OrgPath: []string{Root}}
	open := city.Now.Before(drive.ClosesAt)
	last, next := prev[drive.Schedule], map[string]forms.Values{} // the period before and this one
	defer func() { prev[drive.Schedule] = next }()
	var mu sync.Mutex
	var batch []store.Imported
	phase := func(at time.Time, pick func(i int) bool, draft bool) error {
		return parallel(len(b.Schools), func(i int) error {
			school := b.Schools[i]
			rnd := rand.New(rand.NewPCG(uint64(i), uint64(drive.OpensAt.Unix())))
			if !drives.Expects(drive, school) || !pick(int(rnd.Uint32()%100)) {
				return nil
			}
			f, _, _, err := d.SchoolForm(ctx, admin, drive.ID, school.ID)
			if err != nil {
				return err
			}
			env := forms.Env{School: forms.School{Code: school.ID, Stages: school.Stages, Classrooms: school.Classrooms,
				Students: school.Students, Public: school.Public, Urban: school.Urban}, Previous: last[school.ID]}
			answer, bad := NewAnswerer(f, env, rnd.Uint64(), at).Answer()
			if len(bad) > 0 {
				return nil // a form the generator cannot fill is left unanswered
			}
			raw, _ := json.Marshal(answer)
			values, errs := f.Validate(raw, env, draft)
			if len(errs) > 0 {
				return nil
			}
			at := at.UTC().Truncate(time.Millisecond)
			sub := &store.Submission{ID: uuid.NewString(), Drive: drive.ID, School: school.ID, SchoolName: school.Name,
				OrgPath: school.Path, Version: 1, FormVersion: f.Version, Values: values, Status: store.StatusDraft,
				Compliance: []forms.Result{}, CreatedAt: at, UpdatedAt: at, UpdatedBy: "school-" + school.ID}
			if !draft {
				sub.Status, sub.SubmittedAt, sub.Late, sub.Compliance = store.StatusSubmitted, at, !at.Before(drive.DueAt), f.Score(values, env)
			}
			im := store.Imported{Submitted: sub}
			if !draft {
				im.Reviewed = review(sub, rnd)
			}
			mu.Lock()
			defer mu.Unlock()
			batch = append(batch, im)
			if !draft {
				next[school.ID] = values
			}
			return nil
		})
	}
	onTime := func(r int) bool { return r < 82 }
	at := drive.OpensAt.Add(36 * time.Hour)
	if at.After(city.Now) {
		at = city.Now.Add(-time.Minute) // the drive opened just now: answered so far
	}
	if at.After(drive.OpensAt) {
		if err := phase(at, onTime, false); err != nil {
			return 0, err
		}
	}
	if !open {
		late := func(r int) bool { return r >= 82 && r < 92 }
		if err := phase(drive.DueAt.Add(24*time.Hour), late, false); err != nil {
			return 0, err
		}
		drafts := func(r int) bool { return r >= 92 && r < 95 }
		if err := phase(drive.DueAt.Add(25*time.Hour), drafts, true); err != nil {
			return 0, err
		}
	}
	return len(batch), st.ImportSubmissions(ctx, batch)
}

// review has the school's district approve about a third of the answers,
// an hour after they came in, and return one in twenty with a comment.
func review(sub *store.Submission, rnd *rand.Rand) *store.Submission {
	r := rnd.IntN(100)
	if r >= 35 {
		return nil
	}
	next := *sub
	next.Version, next.Status, next.UpdatedAt = 2, store.StatusApproved, sub.UpdatedAt.Add(time.Hour)
	next.UpdatedBy = "district-" + sub.OrgPath[1]
	next.Review = &store.Review{Action: drives.Approve, By: next.UpdatedBy, At: next.UpdatedAt}
	if r < 5 {
		next.Status, next.Review.Action, next.Review.Comment = store.StatusReturned, drives.Return, "请核对本月数据后重新提交"
	}
	return &next
}

// parallel runs f for 0…n-1 on four workers and returns the first error.
func parallel(n int, f func(i int) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					errs <- err
					next.Store(int64(n))
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}
