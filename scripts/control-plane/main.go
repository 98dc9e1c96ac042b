// Command control-plane is a local Kubernetes control plane in one binary, for
// the end-to-end tests of cdktf-golden-path (see test/e2e/control-plane.ts).
//
//	control-plane kine               --listen-address 127.0.0.1:PORT --endpoint sqlite://DIR/state.db
//	control-plane apiserver          <kube-apiserver flags>
//	control-plane controller-manager <kube-controller-manager flags>
//	control-plane version
//
// The apiserver and controller-manager subcommands call the upstream command
// constructors of k8s.io/kubernetes; kine is the etcd-API storage shim from
// github.com/k3s-io/kine (SQLite backend). Each subcommand is meant to run in
// its own process, exactly like the upstream binaries.
//
// Build it with scripts/setup-control-plane.sh (the binary goes to a cache
// directory outside the repository).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	_ "time/tzdata" // CronJob time zones, as in the upstream mains

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // JSON log format, as upstream
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // client-go metrics, as upstream
	_ "k8s.io/component-base/metrics/prometheus/version"  // version metric, as upstream

	kineapp "github.com/k3s-io/kine/pkg/app"
	apiserverapp "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanagerapp "k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

const usage = `usage: control-plane <subcommand> [flags]

subcommands:
  kine                 etcd-API storage (github.com/k3s-io/kine) - kine flags, e.g.
                         --listen-address 127.0.0.1:PORT --endpoint sqlite://DIR/state.db?_journal=WAL
  apiserver            kube-apiserver (k8s.io/kubernetes/cmd/kube-apiserver/app)
  controller-manager   kube-controller-manager (k8s.io/kubernetes/cmd/kube-controller-manager/app)
  version              print the pinned module versions
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	sub, args := os.Args[1], os.Args[2:]
	switch sub {
	case "apiserver", "kube-apiserver":
		os.Exit(runCobra(apiserverapp.NewAPIServerCommand(), args))
	case "controller-manager", "kube-controller-manager":
		os.Exit(runCobra(controllermanagerapp.NewControllerManagerCommand(), args))
	case "kine":
		os.Exit(runKine(args))
	case "version", "--version", "-version":
		printVersions()
	case "help", "--help", "-h":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "control-plane: unknown subcommand %q\n\n%s", sub, usage)
		os.Exit(2)
	}
}

// runCobra runs an upstream Kubernetes command with our arguments (cobra
// would otherwise read os.Args[1:], which still holds the subcommand name).
func runCobra(cmd *cobra.Command, args []string) int {
	cmd.SetArgs(args)
	return cli.Run(cmd)
}

// runKine runs kine's own CLI. Its metrics endpoint defaults to ":8080" (all
// interfaces); we turn it off unless asked for, so nothing listens beyond the
// address given with --listen-address.
func runKine(args []string) int {
	full := []string{"kine"}
	if !hasFlag(args, "metrics-bind-address") {
		full = append(full, "--metrics-bind-address=0")
	}
	full = append(full, args...)
	if err := kineapp.New().Run(full); err != nil && !errors.Is(err, context.Canceled) {
		logrus.Error(err)
		return 1
	}
	return 0
}

func hasFlag(args []string, name string) bool {
	for _, a := range args {
		a = strings.TrimLeft(a, "-")
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}

func printVersions() {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Println("control-plane (no build info)")
		return
	}
	fmt.Printf("control-plane %s (%s)\n", info.Main.Path, info.GoVersion)
	for _, d := range info.Deps {
		switch d.Path {
		case "k8s.io/kubernetes", "k8s.io/apiserver", "k8s.io/api", "github.com/k3s-io/kine",
			"go.etcd.io/etcd/server/v3", "go.etcd.io/etcd/client/v3", "modernc.org/sqlite", "github.com/mattn/go-sqlite3":
			v := d.Version
			if d.Replace != nil {
				v = d.Replace.Version
			}
			fmt.Printf("  %s %s\n", d.Path, v)
		}
	}
}
