package io.github.updatelock.context;

import io.github.updatelock.UpdateLockListener;
import io.github.updatelock.UpdateLockManager;
import io.github.updatelock.event.UpdateLockEvent;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes the manager's lock-level events (acquired, released, waiting, denied, stale
 * reclaimed, lost) as Spring application events, as they are: listen with
 * {@code @EventListener void on(UpdateLockLostEvent event)}. Events come on the manager's
 * event thread, {@code update-lock-events}, in the order the lock changed: an
 * {@code @EventListener} that blocks delays the events after it, never the lock.
 * <p>
 * Per-hold events are left out: every advised call causes two, and Spring's event
 * multicasting would then be busy with them; observers that want them listen on the
 * manager.
 */
public final class UpdateLockEventBridge implements UpdateLockListener, InitializingBean, DisposableBean {

	private final UpdateLockManager manager;

	private final ApplicationEventPublisher eventPublisher;

	public UpdateLockEventBridge(UpdateLockManager manager, ApplicationEventPublisher eventPublisher) {
		this.manager = manager;
		this.eventPublisher = eventPublisher;
	}

	@Override
	public void afterPropertiesSet() {
		this.manager.addListener(this);
	}

	@Override
	public void destroy() {
		this.manager.removeListener(this);
	}

	@Override
	public void onEvent(UpdateLockEvent event) {
		this.eventPublisher.publishEvent(event);
	}

	/**
	 * Per-hold events stay out of the application context: they come with every annotated
	 * call, and the manager then builds none for this listener.
	 */
	@Override
	public boolean wantsHoldEvents() {
		return false;
	}

}
