//go:build linux

package main

import (
	"os"
	"strconv"
	"syscall"
)

// When CONTROL_PLANE_PARENT_PID is set (test/e2e/control-plane.ts sets it), the
// process asks the kernel to SIGKILL it when its parent dies, so a test runner
// that is itself killed (SIGKILL, OOM) leaves no apiserver behind. If the parent
// is already gone by now, exit at once.
func init() {
	want, err := strconv.Atoi(os.Getenv("CONTROL_PLANE_PARENT_PID"))
	if err != nil || want <= 0 {
		return
	}
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGKILL), 0)
	if os.Getppid() != want {
		os.Exit(1)
	}
}
