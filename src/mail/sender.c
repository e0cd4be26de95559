/* sender.c: the thread in every server that delivers the outbox */
#include "mail/mail.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct mail_sender {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool wake;
};

static pthread_mutex_t current_mu = PTHREAD_MUTEX_INITIALIZER;
static struct mail_sender *current;

void mail_sender_wake(void)
{
    pthread_mutex_lock(&current_mu);
    if (current) {
        pthread_mutex_lock(&current->mu);
        current->wake = true;
        pthread_cond_signal(&current->cv);
        pthread_mutex_unlock(&current->mu);
    }
    pthread_mutex_unlock(&current_mu);
}
