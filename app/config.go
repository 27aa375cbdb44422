package main

import (
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"
)

// config is every setting, read once from the environment and flags.
type config struct {
	Addr         string
	MongoURI     string
	Database     string
	DataDir      string
	TZ           *time.Location
	DemoPassword string
	LogFormat    string
	LogLevel     string
	BodyLimit    int
	TokenTTL     time.Duration
	Tick         time.Duration
	NoDemo       bool
	CORSOrigins  string
	Proxies      []string
	// HookNets are internal networks reminder webhooks may reach besides
	// public addresses: a relay on the bureau's own network.
	HookNets []netip.Prefix
	// PublicURL is the server's address as users reach it, for links in
	// the messages sent to reminder channels.
	PublicURL string
}

// env reads NAME, or the file named by NAME_FILE (for secrets).
func env(name, def string) (string, error) {
	if f := os.Getenv(name + "_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	if v, ok := os.LookupEnv(name); ok {
		return v, nil
	}
	return def, nil
}

func loadConfig(args []string) (*config, []string, error) {
	c := &config{}
	get := func(name, def string) string {
		v, err := env(name, def)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		return v
	}
	fs := flag.NewFlagSet("tianbao", flag.ContinueOnError)
	fs.StringVar(&c.Addr, "addr", get("TIANBAO_ADDR", ":8080"), "HTTP listen address")
	fs.StringVar(&c.MongoURI, "mongodb-uri", get("MONGODB_URI", ""), "MongoDB URI; empty starts the embedded server")
	fs.StringVar(&c.Database, "db", get("TIANBAO_DB", "tianbao"), "database name")
	fs.StringVar(&c.DataDir, "data", get("TIANBAO_DATA_DIR", "./data"), "embedded database directory")
	tz := fs.String("tz", get("TIANBAO_TZ", "Asia/Shanghai"), "time zone of periods and deadlines")
	fs.StringVar(&c.DemoPassword, "demo-password", get("TIANBAO_DEMO_PASSWORD", ""), "password of the demo accounts (random when empty)")
	fs.StringVar(&c.LogFormat, "log-format", get("TIANBAO_LOG_FORMAT", "auto"), "auto, text or json")
	fs.StringVar(&c.LogLevel, "log-level", get("TIANBAO_LOG_LEVEL", "info"), "debug, info, warn or error")
	fs.IntVar(&c.BodyLimit, "body-limit", atoi(get("TIANBAO_BODY_LIMIT", "4194304")), "largest request body in bytes")
	fs.DurationVar(&c.TokenTTL, "token-ttl", dur(get("TIANBAO_TOKEN_TTL", "12h")), "how long a sign-in lasts")
	fs.DurationVar(&c.Tick, "scheduler-interval", dur(get("TIANBAO_SCHEDULER_INTERVAL", "1m")), "how often the scheduler runs")
	fs.StringVar(&c.CORSOrigins, "cors-origins", get("TIANBAO_CORS_ORIGINS", ""), "comma-separated origins allowed to call the API from a browser (empty: none)")
	fs.BoolVar(&c.NoDemo, "no-demo", get("TIANBAO_NO_DEMO", "") == "1", "never seed demo data")
	proxies := fs.String("trusted-proxies", get("TIANBAO_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDRs of the reverse proxies whose X-Forwarded-For is believed")
	fs.StringVar(&c.PublicURL, "public-url", get("TIANBAO_PUBLIC_URL", ""), "the server's address as users reach it (https://…), for links in channel messages; empty leaves them out")
	hookNets := fs.String("webhook-networks", get("TIANBAO_WEBHOOK_NETWORKS", ""), "comma-separated addresses or CIDRs of internal networks reminder webhooks may reach besides public addresses")
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return nil, nil, fmt.Errorf("TIANBAO_TZ: %w", err)
	}
	c.TZ = loc
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return nil, nil, fmt.Errorf("TIANBAO_TRUSTED_PROXIES: %q is neither an address nor a CIDR", p)
		}
		c.Proxies = append(c.Proxies, p)
	}
	for _, p := range strings.Split(*hookNets, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(p)
		if a, aerr := netip.ParseAddr(p); aerr == nil {
			prefix, err = a.Prefix(a.BitLen())
		}
		if err != nil {
			return nil, nil, fmt.Errorf("TIANBAO_WEBHOOK_NETWORKS: %q is neither an address nor a CIDR", p)
		}
		c.HookNets = append(c.HookNets, prefix.Masked())
	}
	switch {
	case c.BodyLimit < 1024:
		return nil, nil, fmt.Errorf("TIANBAO_BODY_LIMIT must be at least 1024")
	case c.TokenTTL < time.Minute:
		return nil, nil, fmt.Errorf("TIANBAO_TOKEN_TTL must be at least 1m")
	case c.PublicURL != "" && !strings.HasPrefix(c.PublicURL, "https://") && !strings.HasPrefix(c.PublicURL, "http://"):
		return nil, nil, fmt.Errorf("TIANBAO_PUBLIC_URL must start with https:// or http://")
	case strings.Contains(c.CORSOrigins, "*"):
		return nil, nil, fmt.Errorf("TIANBAO_CORS_ORIGINS must list origins, not *")
	case c.Tick < time.Second:
		return nil, nil, fmt.Errorf("TIANBAO_SCHEDULER_INTERVAL must be at least 1s")
	}
	return c, fs.Args(), nil
}

func atoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

func dur(s string) time.Duration {
	d, _ := time.ParseDuration(s)
	return d
}
