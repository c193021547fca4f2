/* check.h — the smallest test harness: CHECK counts, never aborts. */
#ifndef EKG_TEST_CHECK_H
#define EKG_TEST_CHECK_H
#include <stdio.h>

static int check_failures, check_count;
#define CHECK(cond)                                                                    \
    do {                                                                               \
        check_count++;                                                                 \
        if (!(cond)) {                                                                 \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
        }                                                                              \
    } while (0)
#define CHECK_OK(expr) CHECK((expr) == EKG_OK)
static inline int check_summary(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}
#endif
