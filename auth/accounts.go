package auth

import (
	"context"
	"runtime"
	"slices"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"github.com/tianbao-edu/tianbao/store"
)

// Issued is an account IssueAccounts created or gave a new password, with
// that one-time password: it exists only in the sheet handed out.
type Issued struct {
	Code     string // the org's code
	Name     string // the org's name
	Username string
	Password string
	Role     string
	Reissued bool // an existing account's new password
}

// AccountsInput chooses which accounts IssueAccounts gives out.
type AccountsInput struct {
	// Units: also one account (role district, district-<code>) per unit
	// between the caller's org and its schools.
	Units bool `json:"units"`
	// Reissue: new one-time passwords for the accounts of that naming which
	// still have theirs (never changed): for a sheet that was lost.
	Reissue bool `json:"reissue"`
}

// generatedCost is the bcrypt cost of one-time passwords. They are 12
// random characters of a 54-letter alphabet (69 bits): guessing one is out
// of reach at any cost, and the cost only slows down giving out a
// province's 50,000 accounts at once. Chosen passwords get BcryptCost.
const generatedCost = bcrypt.MinCost + 2

// IssueAccounts creates the missing accounts of the open schools under the
// caller's org (school-<code>) and, with Units, of the units between
// (district-<code>), each with a one-time password to be changed at the
// first sign-in. Accounts that exist are left alone unless Reissue.
// Two runs at once create each account once; the other run leaves it out.
func (a *Service) IssueAccounts(ctx context.Context, by *store.User, in AccountsInput) ([]Issued, error) {
	tree, err := a.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	type target struct {
		org  store.Org
		id   string
		role string
	}
	var targets []target
	for _, org := range tree.Under(by.Org) {
		o := *org
		switch {
		case o.Closed:
		case o.Kind == store.KindSchool:
			targets = append(targets, target{o, "school-" + o.ID, store.RoleSchool})
		case in.Units && o.ID != by.Org && len(o.Path) > 1:
			targets = append(targets, target{o, "district-" + o.ID, store.RoleDistrict})
		}
	}
	slices.SortStableFunc(targets, func(x, y target) int { // units first
		return rank[y.role] - rank[x.role]
	})
	ids := make([]string, len(targets))
	for i, t := range targets {
		ids[i] = t.id
	}
	existing, err := a.Store.UsersByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []Issued
	for _, t := range targets {
		u, ok := existing[t.id]
		switch {
		case !ok:
			out = append(out, Issued{Code: t.org.ID, Name: t.org.Name, Username: t.id, Role: t.role})
		case in.Reissue && u.MustChangePassword && u.Org == t.org.ID && u.Role == t.role && mayManage(by, &u):
			out = append(out, Issued{Code: t.org.ID, Name: t.org.Name, Username: t.id, Role: t.role, Reissued: true})
		}
	}
	hashes, err := a.hashGenerated(out)
	if err != nil {
		return nil, err
	}
	orgOf := make(map[string]store.Org, len(targets))
	for _, t := range targets {
		orgOf[t.id] = t.org
	}
	now := a.Now().UTC()
	var fresh []store.User
	for i, is := range out {
		if is.Reissued {
			if err := a.Store.SetPassword(ctx, is.Username, by.Org, hashes[i], true); err != nil {
				return nil, err
			}
			if err := a.Store.DeleteUserSessions(ctx, is.Username, ""); err != nil {
				return nil, err
			}
			continue
		}
		o := orgOf[is.Username]
		fresh = append(fresh, store.User{ID: is.Username, Username: is.Username, Name: o.Name, Role: is.Role, Org: o.ID,
			OrgPath: o.Path, PasswordHash: hashes[i], CreatedAt: now, MustChangePassword: true})
	}
	created, err := a.Store.InsertUsers(ctx, fresh)
	a.users.Clear()
	if err != nil {
		return nil, err
	}
	made := make(map[string]bool, len(created))
	for _, id := range created {
		made[id] = true
	}
	kept := out[:0]
	for _, is := range out {
		if is.Reissued || made[is.Username] {
			kept = append(kept, is)
		}
	}
	return kept, nil
}

// hashGenerated gives each account a one-time password and returns their
// hashes, on every core.
func (a *Service) hashGenerated(accounts []Issued) ([][]byte, error) {
	hashes := make([][]byte, len(accounts))
	errs := make([]error, len(accounts))
	cost := min(a.BcryptCost, generatedCost)
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				accounts[i].Password = RandomPassword()
				hashes[i], errs[i] = a.hashing.generate(accounts[i].Password, cost)
			}
		})
	}
	for i := range accounts {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return hashes, nil
}
