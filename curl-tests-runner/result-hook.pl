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
# every one. It wraps runtests functions and leaves their behaviour alone. In
# curl 8.x, singletest_count() sees every skip (tests filtered out before
# they are handed to a runner and tests whose preprocessing skipped them) and
# the CI hook citest_finishtest() sees the outcome of every test that ran. In
# curl 7.x, singletest() returns each outcome (the reason is left empty).
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

    if(defined &{"main::citest_finishtest"}) {
        # curl 8.x: a controller hands tests to parallel runners.
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
    else {
        # curl 7.x: singletest() runs one test and returns its outcome. Its
        # skip reasons stay inside runtests; the runner reads them from the
        # "test NNNN SKIPPED: reason" lines of the log.
        my $single = \&{"main::singletest"};
        *{"main::singletest"} = sub {
            my $testnum = $_[1];
            my $error = $single->(@_);
            curlium_record(sprintf("%d\t%d\t\n", $testnum, $error));
            return $error;
        };
    }
}

1;
