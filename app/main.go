// Command tianbao runs the Tianbao reporting server and its tools.
//
//	tianbao [flags]                     serve (the default)
//	tianbao init -code -name -level -admin  create the bureau and its first admin
//	tianbao accounts [-units] FILE.xlsx give every school an account; the sheet of passwords
//	tianbao backup FILE.gz              archive the whole database, while the server runs
//	tianbao restore [-replace] FILE.gz  load an archive into an empty database
//	tianbao seed-demo                   add the demo city, schools and users
//	tianbao import-schools [-dry-run] [-create-units] F
//	                                    import the school list (xlsx) a bureau keeps
//	tianbao export DRIVE FILE.xlsx      write a drive's summary workbook
//	tianbao reset-password USERNAME     give a user a new password, printed once
//	tianbao extract-plan FILE.txt       propose indicators and targets from a plan's text
//	tianbao loadtest -url URL …         simulate phones submitting (see -h)
//	tianbao bench-scale -schools N …    build a city with its history and time the bureau's requests
//	tianbao healthcheck                 exit 0 when the local server is healthy
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/tianbao-edu/tianbao/auth"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "tianbao:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "loadtest":
		return runLoadtest(ctx, args, stdout)
	case "extract-plan":
		return runExtractPlan(args, stdout)
	case "bench-scale":
		return benchScale(ctx, args, stdout)
	}
	var dryRun, createUnits, units, reissue, replace bool
	var own map[string]string
	switch cmd {
	case "import-schools":
		args, dryRun = withoutFlag(args, "dry-run")
		args, createUnits = withoutFlag(args, "create-units")
	case "restore":
		args, replace = withoutFlag(args, "replace")
	case "accounts":
		args, units = withoutFlag(args, "units")
		args, reissue = withoutFlag(args, "reissue")
	case "init":
		var err error
		if own, args, err = commandFlags(args, initFlags...); err != nil {
			return err
		}
	}
	cfg, rest, err := loadConfig(args)
	if err != nil {
		return err
	}
	log := newLogger(cfg)
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log, stdout)
	case "seed-demo":
		return withApp(ctx, cfg, log, func(a *application) error {
			return seedDemo(ctx, a, cfg, stdout, true)
		})
	case "import-schools":
		if len(rest) != 1 {
			return fmt.Errorf("usage: tianbao import-schools [-dry-run] [-create-units] FILE.xlsx")
		}
		return withApp(ctx, cfg, log, func(a *application) error { return importSchools(ctx, a, rest[0], dryRun, createUnits, stdout) })
	case "init":
		if len(rest) != 0 {
			return fmt.Errorf("usage: tianbao init -code CODE -name NAME -level province|city|county -admin USERNAME")
		}
		return withApp(ctx, cfg, log, func(a *application) error { return runInit(ctx, a, own, stdout) })
	case "accounts":
		if len(rest) != 1 {
			return fmt.Errorf("usage: tianbao accounts [-units] [-reissue] FILE.xlsx")
		}
		in := auth.AccountsInput{Units: units, Reissue: reissue}
		return withApp(ctx, cfg, log, func(a *application) error { return runAccounts(ctx, a, cfg, in, rest[0], stdout) })
	case "backup":
		if len(rest) != 1 {
			return fmt.Errorf("usage: tianbao backup FILE.gz")
		}
		return runBackup(ctx, cfg, log, rest[0], stdout)
	case "restore":
		if len(rest) != 1 {
			return fmt.Errorf("usage: tianbao restore [-replace] FILE.gz")
		}
		return runRestore(ctx, cfg, log, rest[0], replace, stdout)
	case "healthcheck":
		return healthcheck(cfg.Addr)
	case "export":
		if len(rest) != 2 {
			return fmt.Errorf("usage: tianbao export DRIVE FILE.xlsx")
		}
		return withApp(ctx, cfg, log, func(a *application) error { return exportDrive(ctx, a, rest[0], rest[1]) })
	case "reset-password":
		if len(rest) != 1 {
			return fmt.Errorf("usage: tianbao reset-password USERNAME")
		}
		return withApp(ctx, cfg, log, func(a *application) error { return resetPassword(ctx, a, rest[0], stdout) })
	}
	return fmt.Errorf("unknown command %q (serve, init, accounts, seed-demo, import-schools, export, backup, restore, reset-password, extract-plan, loadtest, bench-scale, healthcheck)", cmd)
}

func newLogger(cfg *config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.LogFormat
	if format == "auto" {
		format = "json"
		if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, opts))
}

// commandFlags takes a command's own string flags (-name value or
// -name=value) out of args, leaving the common ones for loadConfig.
func commandFlags(args []string, names ...string) (map[string]string, []string, error) {
	values := map[string]string{}
	var rest []string
	for i := 0; i < len(args); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if !strings.HasPrefix(args[i], "-") || !slices.Contains(names, name) {
			rest = append(rest, args[i])
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				return nil, nil, fmt.Errorf("flag -%s needs a value", name)
			}
			i++
			value = args[i]
		}
		values[name] = value
	}
	return values, rest, nil
}

// withoutFlag removes a boolean flag (-name or --name) from args.
func withoutFlag(args []string, name string) ([]string, bool) {
	out := make([]string, 0, len(args))
	found := false
	for _, a := range args {
		if a == "-"+name || a == "--"+name {
			found = true
			continue
		}
		out = append(out, a)
	}
	return out, found
}
