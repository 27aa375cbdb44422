package main

import (
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// composeFile is the part of compose.yaml the checks read.
type composeFile struct {
	Name     string                    `yaml:"name"`
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
	Networks map[string]struct {
		Internal bool `yaml:"internal"`
		IPAM     struct {
			Config []struct {
				Subnet string `yaml:"subnet"`
			} `yaml:"config"`
		} `yaml:"ipam"`
	} `yaml:"networks"`
	Configs map[string]struct {
		Content string `yaml:"content"`
	} `yaml:"configs"`
}

type composeService struct {
	Image       string            `yaml:"image"`
	Build       string            `yaml:"build"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
	Volumes     []string          `yaml:"volumes"`
	Ports       []string          `yaml:"ports"`
	Networks    []string          `yaml:"networks"`
	NetworkMode string            `yaml:"network_mode"`
	Restart     string            `yaml:"restart"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Configs []struct {
		Source string `yaml:"source"`
		Target string `yaml:"target"`
	} `yaml:"configs"`
	Healthcheck *struct {
		Test     []string `yaml:"test"`
		Interval string   `yaml:"interval"`
		Retries  int      `yaml:"retries"`
	} `yaml:"healthcheck"`
}

// interpolated stands the .env values in for ${VAR:?…} and ${VAR:-default},
// as Compose does.
var composeVar = regexp.MustCompile(`\$\{([A-Z_]+)(?::[?-]([^}]*))?\}`)

func loadCompose(t *testing.T, env map[string]string) (composeFile, []string) {
	t.Helper()
	raw, err := os.ReadFile("../compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var required []string
	text := composeVar.ReplaceAllStringFunc(string(raw), func(m string) string {
		sub := composeVar.FindStringSubmatch(m)
		if strings.Contains(m, ":?") && !slices.Contains(required, sub[1]) {
			required = append(required, sub[1])
		}
		if v, ok := env[sub[1]]; ok {
			return v
		}
		return sub[2]
	})
	text = strings.ReplaceAll(text, "$$", "$")
	var c composeFile
	if err := yaml.Unmarshal([]byte(text), &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	return c, required
}

// tianbaoEnv lists the variables Tianbao reads (app/config.go).
func tianbaoEnv(t *testing.T) []string {
	src, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range regexp.MustCompile(`get\("([A-Z_]+)"`).FindAllStringSubmatch(string(src), -1) {
		names = append(names, m[1])
	}
	if len(names) < 10 {
		t.Fatalf("found only %v in config.go", names)
	}
	return names
}

// TestComposeFile checks compose.yaml by construction, there being no
// container engine here: a replica set of three members with its key and
// initiation, Tianbao on it behind Caddy with TLS; every long-running
// service has a health check and is started once what it needs is
// healthy; Tianbao gets only variables it reads, the URI names every
// member and the replica set; data lives in named volumes; the database
// network has no way out; the README's .env names every required variable.
func TestComposeFile(t *testing.T) {
	env := map[string]string{"TIANBAO_DOMAIN": "tianbao.example.org", "MONGO_ROOT_PASSWORD": "r00t", "TIANBAO_MONGO_PASSWORD": "s3cret"}
	c, required := loadCompose(t, env)
	slices.Sort(required)
	if want := []string{"MONGO_ROOT_PASSWORD", "TIANBAO_DOMAIN", "TIANBAO_MONGO_PASSWORD"}; !slices.Equal(required, want) {
		t.Errorf("required variables %v, want %v", required, want)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range required {
		if !strings.Contains(string(readme), v+"=") {
			t.Errorf("README's .env does not set %s", v)
		}
	}

	members := []string{"mongo1", "mongo2", "mongo3"}
	for name, s := range c.Services {
		oneShot := s.Restart == "no"
		if !oneShot && s.Restart != "unless-stopped" {
			t.Errorf("%s: restart %q", name, s.Restart)
		}
		if !oneShot && (s.Healthcheck == nil || len(s.Healthcheck.Test) < 2 || s.Healthcheck.Test[0] != "CMD" || s.Healthcheck.Retries == 0) {
			t.Errorf("%s runs for good without a health check: %+v", name, s.Healthcheck)
		}
		for dep, d := range s.DependsOn {
			ds, ok := c.Services[dep]
			switch {
			case !ok:
				t.Errorf("%s depends on a missing service %s", name, dep)
			case ds.Restart == "no" && d.Condition != "service_completed_successfully":
				t.Errorf("%s waits for one-shot %s with %q", name, dep, d.Condition)
			case ds.Restart != "no" && d.Condition != "service_healthy":
				t.Errorf("%s waits for %s with %q, not its health", name, dep, d.Condition)
			}
		}
		for _, v := range s.Volumes {
			src := strings.Split(v, ":")[0]
			if _, named := c.Volumes[src]; !named && !strings.HasPrefix(src, "./") {
				t.Errorf("%s mounts %s, which is neither a declared volume nor a path", name, src)
			}
		}
		for _, n := range s.Networks {
			if _, ok := c.Networks[n]; !ok {
				t.Errorf("%s joins an undeclared network %s", name, n)
			}
		}
		for _, cf := range s.Configs {
			if _, ok := c.Configs[cf.Source]; !ok {
				t.Errorf("%s uses an undeclared config %s", name, cf.Source)
			}
		}
		if len(s.Ports) > 0 && name != "caddy" {
			t.Errorf("%s publishes ports %v: only the proxy faces the internet", name, s.Ports)
		}
	}

	for _, m := range members {
		s := c.Services[m]
		cmd := strings.Join(s.Command, " ")
		if !strings.Contains(cmd, "--replSet rs0") || !strings.Contains(cmd, "--keyFile /keys/keyfile") ||
			!slices.Contains(s.Volumes, m+":/data/db") || !slices.Equal(s.Networks, []string{"db"}) {
			t.Errorf("%s: %q, volumes %v, networks %v", m, cmd, s.Volumes, s.Networks)
		}
		if c.Services["mongo-init"].DependsOn[m].Condition != "service_healthy" {
			t.Errorf("mongo-init does not wait for %s", m)
		}
	}
	if !strings.Contains(c.Services["mongo-keyfile"].Command[0], "chmod 400 /keys/keyfile") {
		t.Errorf("the key file is not made private: %v", c.Services["mongo-keyfile"].Command)
	}
	initJS := c.Configs["rs-init"].Content
	for _, want := range []string{`_id: "rs0"`, `mongo1:27017`, `mongo2:27017`, `mongo3:27017`, `createUser`, `readWrite`, `db: "tianbao"`} {
		if !strings.Contains(initJS, want) {
			t.Errorf("the replica set's initiation lacks %q", want)
		}
	}
	if !c.Networks["db"].Internal {
		t.Error("the database network reaches out")
	}

	tb := c.Services["tianbao"]
	reads := tianbaoEnv(t)
	for k := range tb.Environment {
		if !slices.Contains(reads, k) && !slices.Contains(reads, strings.TrimSuffix(k, "_FILE")) {
			t.Errorf("tianbao is given %s, which it does not read", k)
		}
	}
	if tb.Environment["TIANBAO_NO_DEMO"] != "1" || tb.Build != "." || tb.DependsOn["mongo-init"].Condition != "service_completed_successfully" {
		t.Errorf("tianbao: %+v", tb)
	}
	u, err := url.Parse(tb.Environment["MONGODB_URI"])
	if err != nil || u.Scheme != "mongodb" || u.User.Username() != "tianbao" || u.Query().Get("replicaSet") != "rs0" ||
		u.Path != "/"+tb.Environment["TIANBAO_DB"] {
		t.Fatalf("MONGODB_URI %q: %v", tb.Environment["MONGODB_URI"], err)
	}
	if pw, _ := u.User.Password(); pw != env["TIANBAO_MONGO_PASSWORD"] {
		t.Errorf("MONGODB_URI's password is not TIANBAO_MONGO_PASSWORD")
	}
	for _, m := range members {
		if !strings.Contains(u.Host, m+":27017") {
			t.Errorf("MONGODB_URI does not name %s", m)
		}
	}
	_, port, _ := net.SplitHostPort(tb.Environment["TIANBAO_ADDR"])
	dockerfile, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if bin := tb.Healthcheck.Test[1]; !strings.Contains(string(dockerfile), "COPY --from=build /out/tianbao "+bin) || tb.Healthcheck.Test[2] != "healthcheck" {
		t.Errorf("tianbao's health check runs %v, not the image's binary", tb.Healthcheck.Test)
	}
	_, web, err := net.ParseCIDR(c.Networks["web"].IPAM.Config[0].Subnet)
	if err != nil || tb.Environment["TIANBAO_TRUSTED_PROXIES"] != web.String() {
		t.Errorf("TIANBAO_TRUSTED_PROXIES %q is not the proxy's network %v", tb.Environment["TIANBAO_TRUSTED_PROXIES"], web)
	}
	cfg, _, err := loadConfig([]string{"-addr", tb.Environment["TIANBAO_ADDR"], "-tz", tb.Environment["TIANBAO_TZ"],
		"-trusted-proxies", tb.Environment["TIANBAO_TRUSTED_PROXIES"]})
	if err != nil || len(cfg.Proxies) != 1 {
		t.Errorf("tianbao's settings do not load: %v", err)
	}

	caddy := c.Services["caddy"]
	caddyfile := c.Configs["caddyfile"].Content
	if !strings.HasPrefix(caddyfile, env["TIANBAO_DOMAIN"]+" {") || !strings.Contains(caddyfile, "reverse_proxy tianbao:"+port) ||
		!regexp.MustCompile(`@internal path /metrics /readyz\s+respond @internal 404`).MatchString(caddyfile) {
		t.Errorf("Caddyfile:\n%s", caddyfile)
	}
	if !slices.Contains(caddy.Ports, "443:443") || !slices.Contains(caddy.Ports, "80:80") || !slices.Contains(caddy.Volumes, "caddy-data:/data") ||
		caddy.DependsOn["tianbao"].Condition != "service_healthy" || !slices.Equal(caddy.Networks, []string{"web"}) {
		t.Errorf("caddy: %+v", caddy)
	}
}
