package auth

import (
	"context"
	"crypto/rand"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// rank orders roles. A viewer is a bureau's read-only account: it manages
// no one, and only admins and districts create viewers, at a bureau.
var rank = map[string]int{store.RoleAdmin: 3, store.RoleDistrict: 2, store.RoleSchool: 1, store.RoleViewer: 1}

// fits reports whether a role belongs at an org, whatever the tree's
// depth: an admin at the top bureau, a district account at a unit below
// it (区县教育局, 镇街教育办, 学区), a school account at a school, a viewer
// at any bureau or unit.
func fits(role string, o *store.Org) bool {
	switch role {
	case store.RoleAdmin:
		return o.Kind != store.KindSchool && o.Parent == ""
	case store.RoleDistrict:
		return o.Kind != store.KindSchool && o.Parent != ""
	case store.RoleSchool:
		return o.Kind == store.KindSchool
	}
	return o.Kind != store.KindSchool
}

var validUsername = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.@-]{2,31}$`)

// NewUser is a request to create an account.
type NewUser struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Org      string `json:"org"`
	Password string `json:"password"`
}

// mayCreate reports whether by may create accounts of a role: one ranked no
// higher than its own (in its own org or below, checked with the org), and
// viewers only by admins and districts.
func mayCreate(by *store.User, role string) bool {
	switch {
	case by.Role == store.RoleViewer || rank[role] > rank[by.Role]:
		return false
	case role == store.RoleViewer:
		return by.Role == store.RoleAdmin || by.Role == store.RoleDistrict
	}
	return true
}

// mayManage reports whether by may manage (disable, enable, reset the
// password of) u: u's org lies strictly below by's, or u ranks strictly
// lower at by's own org. Peers, of one rank at one org, never manage each
// other, so no account can take over another of its own standing.
func mayManage(by, u *store.User) bool {
	switch {
	case by.Role == store.RoleViewer || !slices.Contains(u.OrgPath, by.Org) || rank[u.Role] > rank[by.Role]:
		return false
	case u.Org != by.Org:
		return true
	}
	return rank[u.Role] < rank[by.Role]
}

// CreateUser creates an account in the caller's scope. Without a password
// one is generated and returned once.
func (a *Service) CreateUser(ctx context.Context, by *store.User, in NewUser) (*store.User, string, error) {
	in.Username, in.Name = strings.TrimSpace(in.Username), strings.TrimSpace(in.Name)
	switch {
	case !validUsername.MatchString(in.Username):
		return nil, "", fail.Field("username", "pattern", "用户名为 3–32 位字母、数字或 _.@-（可用手机号）", "username: 3–32 letters, digits or _.@- (a phone number works)")
	case in.Name == "" || utf8.RuneCountInString(in.Name) > 50:
		return nil, "", fail.Field("name", "required", "请填写 1–50 字的姓名", "name: 1–50 characters")
	case rank[in.Role] == 0:
		return nil, "", fail.Field("role", "option", "角色必须是 admin、district、school 或 viewer", "role must be admin, district, school or viewer")
	case in.Password != "" && (len(in.Password) < 8 || len(in.Password) > maxPassword):
		return nil, "", fail.Field("password", "length", "密码长度为 8–72 位", "password: 8–72 characters")
	case !mayCreate(by, in.Role):
		return nil, "", fail.New(fail.Forbidden, "无权创建该角色的账号", "You may not create accounts of this role")
	}
	org, err := a.Store.Org(ctx, in.Org)
	if err != nil && !fail.Is(err, fail.NotFound) {
		return nil, "", err
	}
	if err != nil || !slices.Contains(org.Path, by.Org) {
		return nil, "", fail.Field("org", "not_found", "机构不存在或不在您的管理范围内", "no such organisation in your scope")
	}
	if !fits(in.Role, org) {
		return nil, "", fail.Field("role", "org_kind", "该角色与所选机构类型不符", "this role does not fit the organisation's kind")
	}
	password := in.Password
	if password == "" {
		password = RandomPassword()
	}
	hash, err := a.HashPassword(password)
	if err != nil {
		return nil, "", err
	}
	u := &store.User{ID: in.Username, Username: in.Username, Name: in.Name, Role: in.Role, Org: org.ID,
		OrgPath: org.Path, PasswordHash: hash, CreatedAt: a.Now(), MustChangePassword: in.Password == ""}
	if err := a.Store.InsertUser(ctx, u); err != nil {
		if fail.Is(err, fail.Conflict) {
			return nil, "", fail.Field("username", "taken", "用户名已被使用", "this username is taken")
		}
		return nil, "", err
	}
	if in.Password != "" {
		password = ""
	}
	return u, password, nil
}

// managed returns a user the caller may manage; others are NotFound.
func (a *Service) managed(ctx context.Context, by *store.User, id string) (*store.User, error) {
	u, err := a.Store.User(ctx, id)
	if err != nil && !fail.Is(err, fail.NotFound) {
		return nil, err
	}
	if err != nil || !slices.Contains(u.OrgPath, by.Org) {
		return nil, fail.NotFoundf("用户", "User")
	}
	if u.ID == by.ID || !mayManage(by, u) {
		return nil, fail.New(fail.Forbidden, "无权管理该账号", "You may not manage this account")
	}
	return u, nil
}

// SetDisabled disables (signing it out everywhere) or enables a user.
func (a *Service) SetDisabled(ctx context.Context, by *store.User, id string, disabled bool) (*store.User, error) {
	u, err := a.managed(ctx, by, id)
	if err != nil {
		return nil, err
	}
	if err := a.Store.SetUserDisabled(ctx, u.ID, by.Org, disabled); err != nil {
		return nil, err
	}
	a.users.Clear()
	if disabled {
		if err := a.Store.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return nil, err
		}
	}
	u.Disabled = disabled
	return u, nil
}

// ResetPassword gives a user a new random password (returned once, to be
// changed at the next sign-in), clears its lockout and ends its sessions.
func (a *Service) ResetPassword(ctx context.Context, by *store.User, id string) (*store.User, string, error) {
	u, err := a.managed(ctx, by, id)
	if err != nil {
		return nil, "", err
	}
	password, err := a.renew(ctx, u, by.Org)
	return u, password, err
}

// OperatorReset is ResetPassword for whoever runs the server's command line,
// which no rank limits: the way back in for an account that no other may
// manage, such as the first admin.
func (a *Service) OperatorReset(ctx context.Context, username string) (*store.User, string, error) {
	u, err := a.Store.UserByName(ctx, username)
	if err != nil {
		return nil, "", err
	}
	password, err := a.renew(ctx, u, u.Org)
	return u, password, err
}

// renew sets a new random password for u (within scope), to be changed at
// the next sign-in, forgets its wrong passwords and ends its sessions.
func (a *Service) renew(ctx context.Context, u *store.User, scope string) (string, error) {
	password := RandomPassword()
	hash, err := a.HashPassword(password)
	if err != nil {
		return "", err
	}
	if err := a.Store.SetPassword(ctx, u.ID, scope, hash, true); err != nil {
		return "", err
	}
	a.users.Clear()
	u.MustChangePassword = true
	if err := a.Store.ClearAttempts(ctx, userTag(u.Username)); err != nil {
		return "", err
	}
	return password, a.Store.DeleteUserSessions(ctx, u.ID, "")
}

// ChangePassword sets the caller's own password and ends its other sessions.
// Checks of the current password are counted like sign-ins (perChange), so
// a stolen session cannot guess it at will.
func (a *Service) ChangePassword(ctx context.Context, u *store.User, token, old, next string) error {
	switch {
	case len(next) < 8 || len(next) > maxPassword:
		return fail.Field("new", "length", "新密码长度为 8–72 位", "the new password needs 8–72 characters")
	case len(old) > maxPassword:
		return tooLong("old")
	}
	claims, err := a.claim(ctx, a.Now(), u.Username, counter{perChange, u.Username})
	if err != nil {
		return err
	}
	if next == old {
		return fail.Field("new", "unchanged", "新密码不能与原密码相同", "the new password must differ from the current one")
	}
	if a.hashing.compare(u.PasswordHash, old) != nil {
		return fail.Field("old", "mismatch", "原密码不正确", "the current password is wrong")
	}
	if err := a.forgive(ctx, claims); err != nil {
		return err
	}
	hash, err := a.HashPassword(next)
	if err != nil {
		return err
	}
	if err := a.Store.SetPassword(ctx, u.ID, u.Org, hash, false); err != nil {
		return err
	}
	a.users.Clear()
	return a.Store.DeleteUserSessions(ctx, u.ID, Hash(token))
}

// RandomPassword returns a 12-character password without look-alike letters.
func RandomPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 12)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[n.Int64()]
	}
	return string(b)
}
