import { classifyPerfScript } from './kernel-split.js';

// Trimmed stacks as `perf script -F ip,sym` prints them (from a Socket.IO server on loopback).
const receiveInsideWrite = `	ffffffff81e7b48e sock_def_readable
	ffffffff8208bcba tcp_v4_rcv
	ffffffff81eb094e net_rx_action
	ffffffff81369c4d handle_softirqs
	ffffffff81eaca84 __dev_queue_xmit
	ffffffff8207e83d tcp_write_xmit
	ffffffff816db305 do_writev
	ffffffff81000130 entry_SYSCALL_64_after_hwframe
	           fde9d __GI___writev
	          9d555f node::StreamBase::Write`;
const sendOnly = `	ffffffff8207cc74 __tcp_transmit_skb
	ffffffff82064420 tcp_sendmsg_locked
	ffffffff8223c951 __sys_sendto
	ffffffff81000130 entry_SYSCALL_64_after_hwframe
	          df933 __send`;
const userSpace = `	    7f9838134ddb [unknown]`;
const epoll = `	ffffffff816f0f1e do_epoll_wait
	ffffffff81000130 entry_SYSCALL_64_after_hwframe
	          9dd4a6 non-virtual thunk to node::LibuvStreamWrap::DoTryWrite(uv_buf_t**, unsigned long*)`;

describe('classifyPerfScript', () => {
  it('counts a write, the receive path inside a write, and the rest separately', () => {
    const text = [receiveInsideWrite, sendOnly, sendOnly, userSpace, epoll].join('\n\n') + '\n';
    expect(classifyPerfScript(text)).toEqual({ samples: 5, send: 0.4, receive: 0.2, rest: 0.4 });
  });

  it('tolerates blank lines made of spaces and no samples at all', () => {
    expect(classifyPerfScript(`${sendOnly}\n   \n${userSpace}\n`)).toEqual({
      samples: 2,
      send: 0.5,
      receive: 0,
      rest: 0.5,
    });
    expect(classifyPerfScript('')).toEqual({ samples: 0, send: 0, receive: 0, rest: 0 });
  });
});
