package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tianbao-edu/tianbao/orgs"
)

// cliMaxBytes is the largest workbook the command line reads.
const cliMaxBytes = 32 << 20

// importSchools imports a school list into the only city of the database
// and prints what changed, or the row errors as a table.
func importSchools(ctx context.Context, a *application, file string, dryRun, createUnits bool, stdout io.Writer) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	root, err := orgs.Root(ctx, a.store)
	if err != nil {
		return err
	}
	d, err := orgs.Import(ctx, a.store, root, f, orgs.Options{MaxBytes: cliMaxBytes, DryRun: dryRun, Now: time.Now(),
		CreateUnits: createUnits, Progress: progressTo(stdout)})
	if len(d.Errors) > 0 {
		printRowErrors(stdout, d.Errors)
		return fmt.Errorf("%s: %d errors, nothing imported", file, len(d.Errors))
	}
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%s: the import stopped before it was complete (each school written is whole); run the same command again to complete it: %w", file, err)
	}
	if err != nil {
		return err
	}
	printDiff(stdout, d, dryRun)
	return nil
}

// progressTo prints how many schools an import has written, about every
// tenth of the way.
func progressTo(w io.Writer) func(written, total int) {
	shown := 0
	return func(written, total int) {
		if step := written * 10 / total; step > shown {
			shown = step
			fmt.Fprintf(w, "written   %d/%d\n", written, total)
		}
	}
}

func printRowErrors(w io.Writer, errs []orgs.RowError) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "行 row\t列 column\t代码 code\t说明 message")
	for _, e := range errs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", e.Row, e.Column, e.Code, e.Message.Zh)
	}
	_ = tw.Flush()
}

func printDiff(w io.Writer, d orgs.Diff, dryRun bool) {
	s := d.Summary(dryRun)
	if len(s.Units) > 0 {
		fmt.Fprintf(w, "units     %d\n", len(s.Units))
		for _, u := range s.Units {
			fmt.Fprintf(w, "  + %s  %s (%s)\n", u.Code, u.Path, u.Kind)
		}
	}
	fmt.Fprintf(w, "created   %d\n", len(s.Created))
	for _, code := range s.Created {
		fmt.Fprintf(w, "  + %s\n", code)
	}
	fmt.Fprintf(w, "updated   %d\n", len(s.Updated))
	for _, u := range s.Updated {
		fmt.Fprintf(w, "  ~ %s  %s\n", u.Code, strings.Join(u.Fields, ", "))
	}
	fmt.Fprintf(w, "unchanged %d\n", s.Unchanged)
	if s.Resumed {
		fmt.Fprintln(w, "resumed: this completes an earlier import of the same file that stopped part way")
	}
	if dryRun {
		fmt.Fprintln(w, "dry run: nothing was written")
	}
}
