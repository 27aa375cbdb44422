package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/orgs"
	"github.com/tianbao-edu/tianbao/reports"
	"github.com/tianbao-edu/tianbao/store"
)

// runAccounts gives every open school of the bureau that has no account
// one and writes the 账号分发表 with their one-time passwords to file, a
// new file readable by its owner only (the passwords' only copy).
func runAccounts(ctx context.Context, a *application, cfg *config, in auth.AccountsInput, file string, stdout io.Writer) error {
	root, err := orgs.Root(ctx, a.store)
	if err != nil {
		return err
	}
	bureau, err := a.store.Org(ctx, root.Org)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists: name a new file (it would hold the only copy of the passwords)", file)
	}
	if err != nil {
		return err
	}
	issued, err := a.auth.IssueAccounts(ctx, root, in)
	if err != nil || len(issued) == 0 {
		f.Close()
		os.Remove(file)
		if err == nil {
			fmt.Fprintln(stdout, "没有需要新建的账号 / No account was missing; nothing written")
		}
		return err
	}
	now := time.Now().UTC()
	rows := make([]reports.AccountRow, len(issued))
	log := make([]store.AuditEntry, len(issued))
	for i, is := range issued {
		rows[i] = reports.AccountRow{Code: is.Code, Name: is.Name, Username: is.Username, Password: is.Password, Reissued: is.Reissued}
		action := "user.create"
		if is.Reissued {
			action = "user.reset_password"
		}
		log[i] = store.AuditEntry{At: now, By: "cli", Action: action, Kind: "user", Object: is.Username,
			Changes: []string{"role=" + is.Role, "org=" + is.Code, "bulk"}}
	}
	werr := reports.WriteAccounts(f, reports.AccountSheet{Bureau: bureau.Name, Created: now, Loc: cfg.TZ, Rows: rows})
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("%s: %w (the %d accounts exist: run again with -reissue to give them new passwords)", file, werr, len(issued))
	}
	if err := a.store.InsertAudit(ctx, log...); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d 个账号 accounts → %s（初始密码仅此一份 / the passwords' only copy）\n", len(issued), file)
	return nil
}
