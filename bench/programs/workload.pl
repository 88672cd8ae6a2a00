# SPDX-License-Identifier: MIT
# A Perl workload for bench/run_programs.sh: hashes of strings built and deleted, split and join,
# regex substitution, sort. Prints checksums that must be identical under every malloc.
use strict;
use warnings;
use Digest::MD5 qw(md5_hex);

my $n = 200000;
my %h;
for my $i (0 .. $n - 1) {
    my $k = "key" . (($i * 7919) % ($n / 2));
    $h{$k} = join(",", $i, "x" x ($i % 29), reverse split //, "abcdef$i");
    delete $h{"key" . int($i / 3)} if $i % 4 == 0;
}
my $text = join("\n", map { "$_=$h{$_}" } sort keys %h);
(my $swapped = $text) =~ s/(\d+),(x*)/$2:$1/g;
my @lines = sort { length($a) <=> length($b) or $a cmp $b } split /\n/, $swapped;
print scalar(keys %h), " ", md5_hex($text), " ", md5_hex(join("", @lines[0 .. 999])), "\n";
