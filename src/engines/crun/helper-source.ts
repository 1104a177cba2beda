// The C source of ec2lite-crun-helper (compiled on first use by helper.ts with the host's cc).
// Kept as a string so the shipped package needs no build step of its own.
export const HELPER_C = String.raw`/* ec2lite-crun-helper: what Node cannot do for the crun engine (docs/real-instances.md).
 *
 *   ptyrelay ROWS COLS -- CMD...   runs CMD (a 'crun exec -t --console-socket {SOCK} ...', where
 *       {SOCK} is replaced by a fresh socket path), receives the pty master crun sends over
 *       SCM_RIGHTS, relays stdin -> master and master -> stdout, applies "ROWS COLS\n" lines read
 *       from fd 3 as window sizes (TIOCSWINSZ: the guest's foreground group gets SIGWINCH), and
 *       exits with CMD's status (128+N when killed by signal N).
 *   userns-exec HOSTID SIZE -- CMD...   runs CMD as root of a new user namespace mapping
 *       0..SIZE-1 to HOSTID.. (to unpack or pack an image tree owned by the instances' uid range;
 *       a plain chown would drop setuid bits and file capabilities).
 *   rootstat PID PATH...   for each PATH inside the root of process PID: "UID MODE TYPE" (mode in
 *       octal, type d, f or o) or "! ERRNO", one line each.
 *   rootcat PID MAX PATH   a regular file inside that root: its last MAX bytes on stdout (exit 3
 *       when it is not a regular file).
 *   Files of kernel pseudo-filesystems (proc, sysfs, cgroup, debugfs…) are refused as not regular:
 *       they show the host's state (the host's kernel log in /proc/kmsg) to this host-root reader.
 *   rootd   the same as a service: reads requests "c PID MAX PATH" or "s PID PATH" (tab-separated,
 *       one per line) on stdin, answers each in order on stdout: "0 LEN\n" + LEN bytes, or
 *       "0 UID MODE TYPE\n", or "ERRNO\n" (one process for all reads: no spawn per login).
 *   All resolve PATH with openat2(RESOLVE_IN_ROOT): a symlink the guest made ("/etc/motd ->
 *       /etc/shadow") resolves inside the instance, never to the host's files, whatever the guest
 *       changes meanwhile (a path walked through /proc/PID/root by the host would follow it out).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/vfs.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int die(const char *what) { fprintf(stderr, "ec2lite-crun-helper: %s: %s\n", what, strerror(errno)); return 125; }

static int status_code(int st) { return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st); }

/* Writes everything, waiting (never dropping bytes) when fd is non-blocking and full. */
static int write_all(int fd, const char *p, ssize_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) { struct pollfd q = { fd, POLLOUT, 0 }; poll(&q, 1, -1); continue; }
      return -1;
    }
    p += w; n -= w;
  }
  return 0;
}

static void set_size(int master, const char *line) {
  unsigned rows = 0, cols = 0;
  if (sscanf(line, "%u %u", &rows, &cols) == 2 && rows && cols) {
    struct winsize ws = { .ws_row = rows, .ws_col = cols };
    ioctl(master, TIOCSWINSZ, &ws);
  }
}

static int chld_pipe[2] = { -1, -1 };
static void on_chld(int sig) { (void)sig; int e = errno; if (write(chld_pipe[1], "c", 1) < 0) {} errno = e; }

static int ptyrelay(int argc, char **argv) {
  if (argc < 5 || strcmp(argv[3], "--")) { fprintf(stderr, "usage: ptyrelay ROWS COLS -- CMD...\n"); return 2; }
  char dir[] = "/tmp/ec2lite-pty-XXXXXX";
  if (!mkdtemp(dir)) return die("mkdtemp");
  char path[sizeof(dir) + 8];
  snprintf(path, sizeof path, "%s/sock", dir);
  int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  strncpy(sa.sun_path, path, sizeof sa.sun_path - 1);
  if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof sa) || listen(ls, 1)) return die("console socket");
  char **cmd = argv + 4;
  for (char **a = cmd; *a; a++) if (!strcmp(*a, "{SOCK}")) *a = path;
  pid_t pid = fork();
  if (pid < 0) return die("fork");
  if (pid == 0) {
    /* crun gets neither the client's input nor the resize pipe: every keystroke is for the pty. */
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) { dup2(null, 0); if (null > 2) close(null); }
    close(3);
    execvp(cmd[0], cmd); _exit(die("exec"));
  }
  /* Wait for crun's connection, or for crun to fail before it makes one. */
  int master = -1;
  for (;;) {
    struct pollfd p = { .fd = ls, .events = POLLIN };
    int r = poll(&p, 1, 100);
    if (r > 0) {
      int c = accept(ls, NULL, NULL);
      if (c < 0) continue;
      char buf[256]; char ctl[CMSG_SPACE(sizeof(int))];
      struct iovec iov = { buf, sizeof buf };
      struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl };
      if (recvmsg(c, &m, 0) >= 0) {
        struct cmsghdr *h = CMSG_FIRSTHDR(&m);
        if (h && h->cmsg_type == SCM_RIGHTS) memcpy(&master, CMSG_DATA(h), sizeof(int));
      }
      close(c);
      break;
    }
    int st;
    if (waitpid(pid, &st, WNOHANG) == pid) { unlink(path); rmdir(dir); return status_code(st); }
  }
  close(ls); unlink(path); rmdir(dir);
  if (master < 0) { fprintf(stderr, "ec2lite-crun-helper: no pty from crun\n"); kill(pid, SIGKILL); return 125; }
  char sz[32]; snprintf(sz, sizeof sz, "%s %s", argv[1], argv[2]);
  set_size(master, sz);
  /* Input waits in "pending" while the pty's input queue is full (a program not reading): the
   * master is non-blocking so its output keeps flowing meanwhile (no deadlock, no lost keys), and
   * stdin is not read until the pending input is in (backpressure to the client). */
  fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
  /* As sshd, the session ends when its command has exited (crun exec exits after it), even if a
   * background process still holds the terminal: what is in the pty then is relayed, the rest is
   * that process's (it gets EIO), so a logout never waits for a server started with '&'. */
  if (pipe2(chld_pipe, O_CLOEXEC | O_NONBLOCK) == 0) {
    struct sigaction sa_chld = { .sa_handler = on_chld, .sa_flags = SA_RESTART | SA_NOCLDSTOP };
    sigaction(SIGCHLD, &sa_chld, NULL);
  }
  int exited = 0, st = 0;
  if (waitpid(pid, &st, WNOHANG) == pid) exited = 1;
  static char pending[16384]; size_t pend_off = 0, pend_len = 0;
  int ctl_open = fcntl(3, F_GETFD) != -1, in_open = 1;
  char line[64]; size_t linelen = 0;
  for (;;) {
    char buf[16384];
    if (exited) {
      /* Drain what the command left in the pty (the tty layer hands it over asynchronously: until
       * EIO, or 100 ms without more, or 1.6 MB: a background writer does not hold the session), then end. */
      for (int i = 0; i < 100; i++) {
        struct pollfd q = { master, POLLIN, 0 };
        if (poll(&q, 1, 100) <= 0) break;
        ssize_t n = read(master, buf, sizeof buf);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (n <= 0 || write_all(1, buf, n)) break;
      }
      return status_code(st);
    }
    struct pollfd p[4] = { { master, POLLIN | (pend_len ? POLLOUT : 0), 0 }, { in_open && !pend_len ? 0 : -1, POLLIN, 0 }, { ctl_open ? 3 : -1, POLLIN, 0 }, { chld_pipe[0], POLLIN, 0 } };
    if (poll(p, 4, -1) < 0) { if (errno == EINTR) continue; break; }
    if (p[3].revents) {
      while (read(chld_pipe[0], buf, sizeof buf) > 0) {}
      if (waitpid(pid, &st, WNOHANG) == pid) exited = 1;
      continue;
    }
    if (p[0].revents & POLLOUT && pend_len) {
      ssize_t w = write(master, pending + pend_off, pend_len);
      if (w > 0) { pend_off += w; pend_len -= w; }
      else if (w < 0 && errno != EAGAIN && errno != EINTR) pend_len = 0;
    }
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(master, buf, sizeof buf);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) break; /* every holder of the slave closed: the session is over */
      if (write_all(1, buf, n)) break;
    }
    /* Resizes before input: a window change the client sent before its next keystrokes lands first. */
    if (p[2].revents) {
      ssize_t n = read(3, buf, sizeof buf);
      if (n <= 0) ctl_open = 0;
      for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == '\n') { line[linelen] = 0; set_size(master, line); linelen = 0; }
        else if (linelen < sizeof line - 1) line[linelen++] = buf[i];
      }
    }
    if (p[1].revents) {
      ssize_t n = read(0, pending, sizeof pending);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) in_open = 0;
      else {
        pend_off = 0; pend_len = n;
        ssize_t w = write(master, pending, pend_len);
        if (w > 0) { pend_off = w; pend_len -= w; }
      }
    }
  }
  if (!exited) waitpid(pid, &st, 0);
  return status_code(st);
}

static int userns_exec(int argc, char **argv) {
  if (argc < 5 || strcmp(argv[3], "--")) { fprintf(stderr, "usage: userns-exec HOSTID SIZE -- CMD...\n"); return 2; }
  unsigned long host = strtoul(argv[1], NULL, 10), size = strtoul(argv[2], NULL, 10);
  int go[2];
  if (pipe(go)) return die("pipe");
  pid_t pid = fork();
  if (pid < 0) return die("fork");
  if (pid == 0) {
    close(go[1]);
    if (unshare(CLONE_NEWUSER)) _exit(die("unshare"));
    char c; if (read(go[0], &c, 1) != 1) _exit(125);
    if (setgid(0) || setuid(0)) _exit(die("setuid"));
    execvp(argv[4], argv + 4);
    _exit(die("exec"));
  }
  close(go[0]);
  /* Wait until the child has its own user namespace, then write its maps. */
  char path[64], map[64];
  snprintf(map, sizeof map, "0 %lu %lu\n", host, size);
  snprintf(path, sizeof path, "/proc/%d/ns/user", pid);
  struct stat self, child;
  for (int i = 0; i < 5000; i++) {
    if (stat("/proc/self/ns/user", &self) == 0 && stat(path, &child) == 0 && self.st_ino != child.st_ino) break;
    usleep(1000);
  }
  const char *files[] = { "uid_map", "gid_map" };
  for (int i = 0; i < 2; i++) {
    snprintf(path, sizeof path, "/proc/%d/%s", pid, files[i]);
    int fd = open(path, O_WRONLY);
    if (fd < 0 || write_all(fd, map, strlen(map))) { kill(pid, SIGKILL); return die(path); }
    close(fd);
  }
  if (write(go[1], "g", 1) != 1) return die("go");
  int st; waitpid(pid, &st, 0);
  return status_code(st);
}

/* The root directory of process PID (its mount namespace's view), for openat2's RESOLVE_IN_ROOT. */
static int open_root(const char *pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%s/root", pid);
  return open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* O_NONBLOCK: a FIFO the guest put there must not hang the open. */
static int open_in_root(int root, const char *path, int flags) {
  /* (openat2 refuses O_PATH with anything but O_CLOEXEC, O_DIRECTORY, O_NOFOLLOW) */
  int extra = (flags & O_PATH) ? O_CLOEXEC : O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  struct open_how how = { .flags = (unsigned long long)(flags | extra),
                          .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
  return (int)syscall(SYS_openat2, root, path, &how, sizeof how);
}

/*
 * Kernel pseudo-filesystems hold the HOST's state however a path reaches them (/proc/kmsg is the
 * host's kernel log, readable by this host-root helper): a guest symlink to one is refused.
 */
static int pseudo_fs(int fd) {
  struct statfs sf;
  if (fstatfs(fd, &sf)) return 1;
  switch ((unsigned long)sf.f_type) {
    case PROC_SUPER_MAGIC: case SYSFS_MAGIC: case CGROUP_SUPER_MAGIC: case CGROUP2_SUPER_MAGIC:
    case DEBUGFS_MAGIC: case TRACEFS_MAGIC: case SECURITYFS_MAGIC: case BPF_FS_MAGIC:
    case PSTOREFS_MAGIC: case EFIVARFS_MAGIC: case 0x62656570 /* configfs */: case 0x19800202 /* mqueue */:
      return 1;
    default:
      return 0;
  }
}

static int rootstat(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: rootstat PID PATH...\n"); return 2; }
  int root = open_root(argv[1]);
  if (root < 0) return die("root");
  for (int i = 2; i < argc; i++) {
    int fd = open_in_root(root, argv[i], O_PATH);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) { printf("! %d\n", errno); if (fd >= 0) close(fd); continue; }
    printf("%u %o %c\n", (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), S_ISDIR(st.st_mode) ? 'd' : S_ISREG(st.st_mode) ? 'f' : 'o');
    close(fd);
  }
  return 0;
}

static int rootcat(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: rootcat PID MAX PATH\n"); return 2; }
  long long max = atoll(argv[2]);
  int root = open_root(argv[1]);
  if (root < 0) return die("root");
  int fd = open_in_root(root, argv[3], O_RDONLY);
  if (fd < 0) return die(argv[3]);
  struct stat st;
  if (fstat(fd, &st)) return die("fstat");
  if (!S_ISREG(st.st_mode) || pseudo_fs(fd)) { fprintf(stderr, "ec2lite-crun-helper: %s: not a regular file\n", argv[3]); return 3; }
  if (max > 0 && st.st_size > max) lseek(fd, st.st_size - max, SEEK_SET);
  char buf[65536];
  long long left = max > 0 ? max : st.st_size;
  while (left > 0) {
    ssize_t n = read(fd, buf, left < (long long)sizeof buf ? (size_t)left : sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (write_all(1, buf, n)) return die("write");
    left -= n;
  }
  return 0;
}

static int rootd(void) {
  char line[8192];
  static char buf[1 << 20];
  setvbuf(stdout, NULL, _IOFBF, 1 << 16);
  while (fgets(line, sizeof line, stdin)) {
    size_t n = strlen(line);
    if (n && line[n - 1] == '\n') line[--n] = 0;
    char *op = strtok(line, "\t"), *pid = strtok(NULL, "\t");
    if (!op || !pid) { printf("%d\n", EINVAL); fflush(stdout); continue; }
    long long max = 0;
    if (op[0] == 'c') { char *m = strtok(NULL, "\t"); max = m ? atoll(m) : 0; }
    char *path = strtok(NULL, "");
    if (!path || (op[0] != 'c' && op[0] != 's')) { printf("%d\n", EINVAL); fflush(stdout); continue; }
    if (max <= 0 || max > (long long)sizeof buf) max = sizeof buf;
    int root = open_root(pid);
    int fd = root < 0 ? -1 : open_in_root(root, path, op[0] == 's' ? O_PATH : O_RDONLY);
    int err = errno;
    if (root >= 0) close(root);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) { printf("%d\n", fd < 0 ? err : errno); if (fd >= 0) close(fd); fflush(stdout); continue; }
    if (op[0] == 's') {
      printf("0 %u %o %c\n", (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), S_ISDIR(st.st_mode) ? 'd' : S_ISREG(st.st_mode) ? 'f' : 'o');
    } else if (!S_ISREG(st.st_mode) || pseudo_fs(fd)) {
      printf("%d\n", EINVAL);
    } else {
      if (st.st_size > max) lseek(fd, st.st_size - max, SEEK_SET);
      size_t got = 0;
      while (got < (size_t)max) {
        ssize_t r = read(fd, buf + got, (size_t)max - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
      }
      printf("0 %zu\n", got);
      fwrite(buf, 1, got, stdout);
    }
    close(fd);
    fflush(stdout);
  }
  return 0;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  if (argc > 1 && !strcmp(argv[1], "rootd")) return rootd();
  if (argc > 1 && !strcmp(argv[1], "rootstat")) return rootstat(argc - 1, argv + 1);
  if (argc > 1 && !strcmp(argv[1], "rootcat")) return rootcat(argc - 1, argv + 1);
  if (argc > 1 && !strcmp(argv[1], "ptyrelay")) return ptyrelay(argc - 1, argv + 1);
  if (argc > 1 && !strcmp(argv[1], "userns-exec")) return userns_exec(argc - 1, argv + 1);
  fprintf(stderr, "usage: ec2lite-crun-helper ptyrelay|userns-exec|rootstat|rootcat|rootd ...\n");
  return 2;
}
`;
