package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// resetPassword gives a user a new random password, printed this once, and
// ends the user's sessions: the way back in for an account no other
// account may manage (the first admin, say). Whoever runs it holds the
// server, so no rank applies; the audit log records it as "cli".
func resetPassword(ctx context.Context, a *application, username string, stdout io.Writer) error {
	u, password, err := a.auth.OperatorReset(ctx, username)
	if fail.Is(err, fail.NotFound) {
		return fmt.Errorf("no user %q", username)
	}
	if err != nil {
		return err
	}
	e := store.AuditEntry{At: time.Now().UTC(), By: "cli", Action: "user.reset_password", Kind: "user", Object: u.ID}
	if err := a.store.InsertAudit(ctx, e); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "新密码 new password for %s (shown once; its sessions have ended):\n%s\n", u.Username, password)
	return nil
}
