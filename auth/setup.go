package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// BureauInput is the first run's request: the bureau at the root of the
// organisation tree and the username of its first admin.
type BureauInput struct {
	Code  string `json:"code"`  // the administrative division code: 6, 9 or 12 digits
	Name  string `json:"name"`  // 杭州市教育局
	Level string `json:"level"` // province, city or county
	Admin string `json:"admin"`
}

var bureauCode = regexp.MustCompile(`^\d{6}(\d{3}|\d{6})?$`)

// Validate checks the fields of a first run's request.
func (in *BureauInput) Validate() error {
	in.Code, in.Name, in.Level, in.Admin = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name), strings.TrimSpace(in.Level), strings.TrimSpace(in.Admin)
	switch {
	case !bureauCode.MatchString(in.Code):
		return fail.Field("code", "pattern", "教育局代码为 6、9 或 12 位行政区划代码", "code: the 6, 9 or 12-digit administrative division code")
	case in.Name == "" || utf8.RuneCountInString(in.Name) > 50 || strings.ContainsFunc(in.Name, isControl):
		return fail.Field("name", "required", "请填写 1–50 字的教育局名称", "name: 1–50 characters")
	case !slices.Contains(store.BureauKinds, in.Level):
		return fail.Field("level", "option", "级别必须是 province（省）、city（市）或 county（县区）", "level must be province, city or county")
	case !validUsername.MatchString(in.Admin):
		return fail.Field("admin", "pattern", "用户名为 3–32 位字母、数字或 _.@-", "admin: 3–32 letters, digits or _.@-")
	}
	return nil
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// AlreadySetUp is the Conflict of a first run on a database that has its
// bureau: nothing was changed.
func alreadySetUp(b *store.Bureau) error {
	return fail.New(fail.Conflict, "已完成首次设置，未做任何更改：教育局 "+b.Org+" "+b.Name+"，管理员 "+b.Admin,
		"Already set up, nothing changed: the bureau "+b.Org+" "+b.Name+", admin "+b.Admin)
}

// Init creates the root bureau and its first admin, whose one-time
// password it returns (to be changed at the first sign-in). On a database
// that has its bureau it changes nothing and returns the bureau with a
// Conflict. A first run stopped half-way is completed with what it
// recorded: the bureau is claimed first (of two first runs at once only
// one can), the admin created last.
func (a *Service) Init(ctx context.Context, in BureauInput) (*store.Bureau, string, error) {
	if err := in.Validate(); err != nil {
		return nil, "", err
	}
	now := a.Now().UTC()
	b, err := a.Store.Bureau(ctx)
	if fail.Is(err, fail.NotFound) {
		roots, err := a.Store.RootOrgs(ctx)
		if err != nil {
			return nil, "", err
		}
		if len(roots) > 0 {
			return nil, "", fail.New(fail.Conflict, "数据库中已有组织机构（"+roots[0].ID+" "+roots[0].Name+"），不能再建立教育局",
				"The database has organisations already ("+roots[0].ID+" "+roots[0].Name+"); no bureau can be added")
		}
		b, err = a.Store.ClaimBureau(ctx, &store.Bureau{Org: in.Code, Name: in.Name, Kind: in.Level, Admin: in.Admin, CreatedAt: now})
		if err != nil && !fail.Is(err, fail.Conflict) {
			return nil, "", err
		}
	} else if err != nil {
		return nil, "", err
	}
	if done, err := a.setUp(ctx, b); err != nil || done {
		if err == nil {
			err = alreadySetUp(b)
		}
		return b, "", err
	}
	if _, err := a.Store.Org(ctx, b.Org); fail.Is(err, fail.NotFound) {
		root := &store.Org{ID: b.Org, Name: b.Name, Kind: b.Kind, Path: []string{b.Org}, UpdatedAt: now}
		if err := a.Store.PutOrg(ctx, root); err != nil {
			return nil, "", err
		}
	} else if err != nil {
		return nil, "", err
	}
	password := RandomPassword()
	hash, err := a.HashPassword(password)
	if err != nil {
		return nil, "", err
	}
	u := &store.User{ID: b.Admin, Username: b.Admin, Name: b.Name + "管理员", Role: store.RoleAdmin, Org: b.Org,
		OrgPath: []string{b.Org}, PasswordHash: hash, CreatedAt: now, MustChangePassword: true}
	if err := a.Store.InsertUser(ctx, u); fail.Is(err, fail.Conflict) {
		return b, "", alreadySetUp(b)
	} else if err != nil {
		return nil, "", err
	}
	return b, password, a.Store.DeleteSetupTokens(ctx)
}

// setUp reports whether the first run of bureau b is done: its admin exists.
func (a *Service) setUp(ctx context.Context, b *store.Bureau) (bool, error) {
	if b.Admin == "" {
		return true, nil // recorded from data set up before first runs were
	}
	_, err := a.Store.User(ctx, b.Admin)
	if fail.Is(err, fail.NotFound) {
		return false, nil
	}
	return err == nil, err
}

// SetupNeeded reports whether the database still needs its first run: it
// has no bureau, or one whose first run stopped before its admin was made.
func (a *Service) SetupNeeded(ctx context.Context) (bool, error) {
	b, err := a.Store.Bureau(ctx)
	if fail.Is(err, fail.NotFound) {
		roots, err := a.Store.RootOrgs(ctx) // an organisation tree made without a first run
		return len(roots) == 0, err
	}
	if err != nil {
		return false, err
	}
	done, err := a.setUp(ctx, b)
	return !done, err
}

// IssueSetupToken returns a new first-run token for the web page, stored
// only as its hash. Every instance started before the first run issues
// one; any of them is good until the first run is done.
func (a *Service) IssueSetupToken(ctx context.Context) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := hex.EncodeToString(b)
	id := make([]byte, 6)
	_, _ = rand.Read(id)
	h := sha256.Sum256([]byte(token))
	return token, a.Store.AddSetupToken(ctx, hex.EncodeToString(id), h[:], a.Now())
}

// Setup is the first run from the web page: with a token an instance
// issued, it creates the bureau and its admin (see Init). Wrong tokens are
// limited per address; every token is useless once the first run is done.
func (a *Service) Setup(ctx context.Context, token, ip string, in BureauInput) (*store.Bureau, string, error) {
	needed, err := a.SetupNeeded(ctx)
	if err != nil {
		return nil, "", err
	}
	if !needed {
		if b, err := a.Store.Bureau(ctx); err == nil {
			return nil, "", alreadySetUp(b)
		}
		return nil, "", fail.New(fail.Conflict, "已完成首次设置，未做任何更改", "Already set up, nothing changed")
	}
	if wait := a.setupLimit.waiting(ip); wait > 0 {
		return nil, "", tooMany(wait, "设置令牌错误次数过多，请稍后再试", "Too many wrong setup tokens; try again later")
	}
	if err := a.checkSetupToken(ctx, token); err != nil {
		a.setupLimit.take(ip)
		return nil, "", err
	}
	return a.Init(ctx, in)
}

// checkSetupToken compares the token's hash with every issued one, each
// in constant time, all of them whatever matches.
func (a *Service) checkSetupToken(ctx context.Context, token string) error {
	hashes, err := a.Store.SetupTokenHashes(ctx)
	if err != nil {
		return err
	}
	h := sha256.Sum256([]byte(strings.TrimSpace(token)))
	match := 0
	for _, stored := range hashes {
		match |= subtle.ConstantTimeCompare(h[:], stored)
	}
	if match != 1 || len(token) > 100 {
		e := fail.Field("token", "mismatch", "设置令牌不正确：请查看服务器启动日志中的令牌", "Wrong setup token: see the server's start-up log")
		e.Code = fail.Forbidden
		return e
	}
	return nil
}

// setupAttempts is how many wrong setup tokens an address may send per
// setupWindow.
const (
	setupAttempts = 10
	setupWindow   = 10 * time.Minute
)
