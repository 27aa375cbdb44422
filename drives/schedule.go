package drives

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

var validID = regexp.MustCompile(`^[a-z][a-z0-9-]{2,31}$`)

// ScheduleInput is a request to create a schedule.
type ScheduleInput struct {
	ID        string      `json:"id"`
	Name      string      `json:"name"`
	Plan      string      `json:"plan"`
	Frequency string      `json:"frequency"`
	OpenDay   int         `json:"openDay"`
	DueDay    int         `json:"dueDay"`
	CloseDay  int         `json:"closeDay"`
	Scope     store.Scope `json:"scope"`
	TZ        string      `json:"tz"`
	Reminders []int       `json:"reminders"`
	// Escalation chases late schools up the tree (see store.Escalation).
	Escalation *store.Escalation `json:"escalation"`
}

// CreateSchedule validates and stores a schedule, then opens its current drive.
func (s *Service) CreateSchedule(ctx context.Context, u *store.User, in ScheduleInput) (*store.Schedule, error) {
	if in.ID == "" {
		in.ID = "s-" + randomHex(4)
	}
	if in.TZ == "" {
		in.TZ = s.Loc.String()
	}
	in.Name = strings.TrimSpace(in.Name)
	if err := checkSchedule(in); err != nil {
		return nil, err
	}
	if _, err := s.Store.Plan(ctx, in.Plan); err != nil {
		return nil, fail.Field("plan", "not_found", "计划不存在", "no such plan")
	}
	scope, err := s.scope(ctx, u, in.Scope)
	if err != nil {
		return nil, err
	}
	sc := &store.Schedule{
		ID: in.ID, Name: in.Name, Plan: in.Plan, Frequency: in.Frequency, OpenDay: in.OpenDay,
		DueDay: in.DueDay, CloseDay: in.CloseDay, Scope: scope, TZ: in.TZ, Active: true,
		Reminders: in.Reminders, Escalation: in.Escalation, CreatedAt: s.Now().UTC(), CreatedBy: u.ID,
	}
	if err := s.Store.InsertSchedule(ctx, sc); err != nil {
		if fail.Is(err, fail.Conflict) {
			return nil, fail.Field("id", "taken", "该编号已被使用", "this id is taken")
		}
		return nil, err
	}
	if _, err := s.catchUp(ctx, sc); err != nil {
		return nil, err
	}
	return sc, nil
}

func checkSchedule(in ScheduleInput) error {
	switch {
	case !validID.MatchString(in.ID):
		return fail.Field("id", "pattern", "编号为 3–32 位小写字母、数字或 -", "id: 3–32 lowercase letters, digits or -")
	case badName(in.Name):
		return nameErr
	case !slices.Contains([]string{forms.Weekly, forms.Monthly, forms.Termly, forms.Yearly}, in.Frequency):
		return fail.Field("frequency", "option", "频率必须是 weekly、monthly、termly 或 yearly", "frequency must be weekly, monthly, termly or yearly")
	case in.OpenDay < 0 || in.OpenDay > 180:
		return fail.Field("openDay", "range", "开始日须在 0–180 天之间", "openDay must be 0–180")
	case in.DueDay < -180 || in.DueDay > 180:
		return fail.Field("dueDay", "range", "截止日须在 -180–180 天之间", "dueDay must be -180–180")
	case in.CloseDay < in.DueDay || in.CloseDay > 365:
		return fail.Field("closeDay", "range", "锁定日不能早于截止日，且不超过 365 天", "closeDay must be between dueDay and 365")
	case len(in.Reminders) > 10:
		return fail.Field("reminders", "max", "最多 10 次提醒", "at most 10 reminders")
	case in.Escalation != nil && (in.Escalation.After < 0 || in.Escalation.After > 24*90):
		return fail.Field("escalation.after", "range", "升级催报须在截止后 90 天内开始（以小时计）", "escalation starts within 90 days after the due time, in hours")
	case in.Escalation != nil && (in.Escalation.Delay < 1 || in.Escalation.Delay > 24*30):
		return fail.Field("escalation.delay", "range", "升级间隔须在 1 小时到 30 天之间（以小时计）", "the escalation delay is 1 hour to 30 days, in hours")
	}
	for i, h := range in.Reminders {
		if h < -24*90 || h > 24*90 {
			return fail.Field("reminders["+strconv.Itoa(i)+"]", "range", "提醒时间须在截止前后 90 天内（以小时计）", "reminders are hours within 90 days of the due time")
		}
	}
	if _, err := time.LoadLocation(in.TZ); err != nil || in.TZ == "Local" {
		return fail.Field("tz", "option", "未知时区", "unknown time zone")
	}
	return nil
}

// scope checks a requested scope lies in the caller's and fills its path.
func (s *Service) scope(ctx context.Context, u *store.User, sc store.Scope) (store.Scope, error) {
	if sc.Org == "" {
		sc.Org = u.Org
	}
	for i, st := range sc.Stages {
		if !slices.Contains(forms.Stages, st) {
			return sc, fail.Field("scope.stages["+strconv.Itoa(i)+"]", "option", "未知学段", "unknown stage")
		}
	}
	org, err := s.Store.Org(ctx, sc.Org)
	if err != nil && !fail.Is(err, fail.NotFound) {
		return sc, err
	}
	if err != nil || !slices.Contains(org.Path, u.Org) {
		return sc, fail.Field("scope.org", "not_found", "机构不存在或不在您的管理范围内", "no such organisation in your scope")
	}
	sc.Path = org.Path
	return sc, nil
}

// Schedules lists the schedules whose scope touches the caller's.
func (s *Service) Schedules(ctx context.Context, u *store.User) ([]store.Schedule, error) {
	all, err := s.Store.Schedules(ctx, false)
	if err != nil {
		return nil, err
	}
	out := []store.Schedule{}
	for _, sc := range all {
		if Visible(u, &store.Drive{Scope: sc.Scope}) {
			out = append(out, sc)
		}
	}
	return out, nil
}

// DriveInput is a request for a one-off drive.
type DriveInput struct {
	Name      string      `json:"name"`
	Plan      string      `json:"plan"`
	Frequency string      `json:"frequency"`
	Period    string      `json:"period"`
	OpensAt   time.Time   `json:"opensAt"`
	DueAt     time.Time   `json:"dueAt"`
	ClosesAt  time.Time   `json:"closesAt"`
	Scope     store.Scope `json:"scope"`
}

// CreateDrive opens a one-off drive.
func (s *Service) CreateDrive(ctx context.Context, u *store.User, in DriveInput) (*store.Drive, error) {
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case badName(in.Name):
		return nil, nameErr
	case in.OpensAt.IsZero():
		in.OpensAt = s.Now()
	}
	switch {
	case in.DueAt.IsZero() || !in.DueAt.After(in.OpensAt):
		return nil, fail.Field("dueAt", "range", "截止时间须晚于开始时间", "dueAt must be after opensAt")
	case in.ClosesAt.IsZero():
		in.ClosesAt = in.DueAt
	}
	if in.ClosesAt.Before(in.DueAt) {
		return nil, fail.Field("closesAt", "range", "锁定时间不能早于截止时间", "closesAt must not be before dueAt")
	}
	p, freq, err := ParsePeriod(in.Period, s.Loc)
	if err != nil {
		return nil, err
	}
	if in.Frequency == "" {
		in.Frequency = freq
	}
	if in.Frequency != freq {
		return nil, fail.Field("frequency", "mismatch", "频率与期次不符", "frequency does not match the period")
	}
	if _, err := s.Store.Plan(ctx, in.Plan); err != nil {
		return nil, fail.Field("plan", "not_found", "计划不存在", "no such plan")
	}
	scope, err := s.scope(ctx, u, in.Scope)
	if err != nil {
		return nil, err
	}
	d := &store.Drive{
		ID: "adhoc-" + randomHex(6), Period: p.Key, Name: in.Name, Plan: in.Plan, Frequency: freq, Scope: scope,
		OpensAt: in.OpensAt.UTC(), DueAt: in.DueAt.UTC(), ClosesAt: in.ClosesAt.UTC(), CreatedAt: s.Now().UTC(),
	}
	if err := s.setParts(ctx, d); err != nil {
		return nil, err
	}
	if _, err := s.Store.CreateDrive(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// Reopen lets one school in scope submit to a closed drive again.
func (s *Service) Reopen(ctx context.Context, u *store.User, driveID, schoolID string) (*store.Drive, error) {
	d, err := s.Drive(ctx, u, driveID)
	if err != nil {
		return nil, err
	}
	school, err := s.school(ctx, u, schoolID)
	if err != nil {
		return nil, err
	}
	if !Expects(d, school) {
		return nil, fail.Field("school", "not_expected", "该校不在本次任务范围内", "this school is not part of the drive")
	}
	if err := s.Store.ReopenDrive(ctx, d.ID, school.ID); err != nil {
		return nil, err
	}
	s.drives.Forget(d.ID)
	if d, err = s.Store.Drive(ctx, d.ID); err != nil {
		return nil, err
	}
	return d, s.scopeReopened(ctx, u, d)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var nameErr = fail.Field("name", "required", "请填写 1–50 字的名称，不含换行、制表符等控制字符", "name: 1–50 characters, without line breaks or other control characters")

// badName reports whether a schedule's, drive's or channel's name is
// empty, longer than 50 characters or not a plain line of text.
func badName(name string) bool {
	return name == "" || utf8.RuneCountInString(name) > 50 || !forms.PlainLine(name)
}
