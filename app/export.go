package main

import (
	"context"
	"os"

	"github.com/tianbao-edu/tianbao/store"
)

// exportDrive writes a drive's whole-city summary workbook to a file.
func exportDrive(ctx context.Context, a *application, drive, file string) error {
	d, err := a.store.Drive(ctx, drive)
	if err != nil {
		return err
	}
	root := &store.User{ID: "cli", Role: store.RoleAdmin, Org: d.Scope.Path[0], OrgPath: d.Scope.Path[:1]}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := a.drives.Export(ctx, root, d, nil, f, nil); err != nil {
		f.Close()
		os.Remove(file)
		return err
	}
	return f.Close()
}
