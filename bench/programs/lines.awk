# N deterministic pseudo-random lines "number word line-i", the input of the sort, gzip and xz
# workloads (bench and tests).   Usage: awk -v n=N -f bench/programs/lines.awk > FILE
BEGIN {
    x = 12345
    for (i = 0; i < n; i++) {
        x = (x * 1103515245 + 12345) % 2147483648
        printf "%d %s line-%d\n", x % 100000, substr("qwertyuiopasdfghjklzxcvbnm", x % 26 + 1, 5), i
    }
}
