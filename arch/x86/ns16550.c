/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Driver for the 16550 UART at COM1 (I/O port 0x3f8), polled: the console
 * must work before interrupts exist and from the panic path. Line settings
 * come from the com1= option (Xen's syntax: baud, data bits, parity, stop).
 */
#include <satori/cmdline.h>
#include <asm/serial.h>
#include <asm/x86.h>

#define COM1_BASE 0x3f8
#define UART_CLOCK 115200   /* the divisor base of a PC UART */

enum { RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5 };
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define LCR_DLAB 0x80

static uint8_t line_control(const struct com_spec *s)
{
    uint8_t lcr = (uint8_t)(s->data_bits - 5) & 3;

    if (s->stop_bits == 2)
        lcr |= 0x04;
    switch (s->parity) {
    case 'o': lcr |= 0x08; break;
    case 'e': lcr |= 0x18; break;
    case 'm': lcr |= 0x28; break;
    case 's': lcr |= 0x38; break;
    default: break;
    }
    return lcr;
}

void serial_init(const struct com_spec *spec)
{
    static const struct com_spec dflt = { .baud = 115200, .data_bits = 8, .parity = 'n', .stop_bits = 1 };
    const struct com_spec *s = spec ? spec : &dflt;
    uint32_t divisor = (s->baud_auto || !s->baud) ? 0 : UART_CLOCK / s->baud;

    outb(COM1_BASE + IER, 0);
    if (divisor) {   /* "auto" keeps what the firmware programmed */
        outb(COM1_BASE + LCR, LCR_DLAB);
        outb(COM1_BASE + DLL, divisor & 0xff);
        outb(COM1_BASE + DLM, divisor >> 8);
    }
    outb(COM1_BASE + LCR, line_control(s));
    outb(COM1_BASE + FCR, 0x07);   /* FIFOs on and cleared */
    outb(COM1_BASE + MCR, 0x03);   /* DTR, RTS */
}

void serial_putc(char c)
{
    unsigned int spins = 0;

    /* A disconnected UART never drains: give up rather than hang. */
    while (!(inb(COM1_BASE + LSR) & LSR_THR_EMPTY) && ++spins < 1000000)
        cpu_relax();
    outb(COM1_BASE + THR, (uint8_t)c);
}

void serial_puts(const char *s)
{
    while (*s)
        serial_putc(*s++);
}

int serial_getc(void)
{
    if (!(inb(COM1_BASE + LSR) & LSR_DATA_READY))
        return -1;
    return inb(COM1_BASE + RBR);
}
