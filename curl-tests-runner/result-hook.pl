# result-hook.pl: loaded into curl's tests/runtests.pl with `-L`, records one
# line per test into the file named by $CURLIUM_RESULT_LOG:
#
#   <number> TAB <code> TAB <skip reason>
#
# <code> is what runtests decided: 0 OK, 1 failed, 2 failed but ignored,
# -1 skipped (with the reason; a server that failed to start is a skip too,
# with a reason saying so), -2 the test could not be prepared or run.
#
# runtests only prints the first three skips of each reason; this hook sees
# every one. It wraps two runtests functions and leaves their behaviour alone:
# singletest_count() sees every skip (tests filtered out before they are
# handed to a runner and tests whose preprocessing skipped them), the CI
# hook citest_finishtest() sees the outcome of every test that ran.
use strict;
use warnings;

my $result_log = $ENV{'CURLIUM_RESULT_LOG'};
my %skipped;

sub curlium_record {
    my ($line) = @_;
    return if(!$result_log);
    open(my $fh, ">>", $result_log) || die "cannot append to $result_log: $!";
    print $fh $line;
    close($fh);
}

{
    no strict 'refs';
    no warnings 'redefine';

    my $count = \&{"main::singletest_count"};
    *{"main::singletest_count"} = sub {
        my ($testnum, $why) = @_;
        if($why) {
            (my $reason = $why) =~ s/[\t\r\n]+/ /g;
            curlium_record(sprintf("%d\t-1\t%s\n", $testnum, $reason));
            $skipped{$testnum} = 1;
        }
        return $count->(@_);
    };

    my $finish = \&{"main::citest_finishtest"};
    *{"main::citest_finishtest"} = sub {
        my ($testnum, $error) = @_;
        # A skip was recorded with its reason when it was counted.
        if(!($error == -1 && delete $skipped{$testnum})) {
            curlium_record(sprintf("%d\t%d\t\n", $testnum, $error));
        }
        return $finish->(@_);
    };
}

1;
