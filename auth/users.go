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

// rank orders roles: a user manages only users of a rank no higher.
var rank = map[string]int{store.RoleAdmin: 3, store.RoleDistrict: 2, store.RoleSchool: 1, store.RoleViewer: 1}

// kindsOf are the kinds of org each role belongs to (none listed: any).
var kindsOf = map[string][]string{store.RoleAdmin: store.BureauKinds,
	store.RoleDistrict: {store.KindDistrict, store.KindCounty}, store.RoleSchool: {store.KindSchool}}

var validUsername = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.@-]{2,31}$`)

// NewUser is a request to create an account.
type NewUser struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Org      string `json:"org"`
	Password string `json:"password"`
}

// mayManage reports whether by may manage a user of role at an org path.
func mayManage(by *store.User, role string, orgPath []string) bool {
	return by.Role != store.RoleViewer && rank[by.Role] >= rank[role] && slices.Contains(orgPath, by.Org)
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
	case in.Password != "" && (len(in.Password) < 8 || len(in.Password) > 72):
		return nil, "", fail.Field("password", "length", "密码长度为 8–72 位", "password: 8–72 characters")
	}
	org, err := a.Store.Org(ctx, in.Org)
	if err != nil && !fail.Is(err, fail.NotFound) {
		return nil, "", err
	}
	if err != nil || !slices.Contains(org.Path, by.Org) {
		return nil, "", fail.Field("org", "not_found", "机构不存在或不在您的管理范围内", "no such organisation in your scope")
	}
	if k := kindsOf[in.Role]; k != nil && !slices.Contains(k, org.Kind) {
		return nil, "", fail.Field("role", "org_kind", "该角色与所选机构类型不符", "this role does not fit the organisation's kind")
	}
	if !mayManage(by, in.Role, org.Path) {
		return nil, "", fail.New(fail.Forbidden, "无权创建该角色的账号", "You may not create accounts of this role")
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
	if !mayManage(by, u.Role, u.OrgPath) || u.ID == by.ID {
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
	password := RandomPassword()
	hash, err := a.HashPassword(password)
	if err != nil {
		return nil, "", err
	}
	if err := a.Store.SetPassword(ctx, u.ID, by.Org, hash, true); err != nil {
		return nil, "", err
	}
	a.users.Clear()
	u.MustChangePassword = true
	return u, password, a.Store.DeleteUserSessions(ctx, u.ID, "")
}

// ChangePassword sets the caller's own password, which clears a required
// change, and ends its other sessions.
func (a *Service) ChangePassword(ctx context.Context, u *store.User, token, old, next string) error {
	if len(next) < 8 || len(next) > 72 {
		return fail.Field("new", "length", "新密码长度为 8–72 位", "the new password needs 8–72 characters")
	}
	if next == old {
		return fail.Field("new", "unchanged", "新密码不能与原密码相同", "the new password must differ from the current one")
	}
	if a.hashing.compare(u.PasswordHash, old) != nil {
		return fail.Field("old", "mismatch", "原密码不正确", "the current password is wrong")
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
