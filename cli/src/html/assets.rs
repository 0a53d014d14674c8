//! The page's inline style and scripts (no external assets: the page loads nothing).

/// The page's stylesheet.
pub(super) const STYLE: &str = r#"
:root{--fg:#1d2430;--muted:#5b6575;--bg:#fff;--panel:#f5f7fa;--line:#dde2ea;--accent:#1f5fbf;--bad:#b42318;--ok:#157f3b}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#1d2430;color:#fff;padding:14px 28px}
header h1{margin:0;font-size:20px}
header p{margin:2px 0 0;color:#c8d0dc;font-size:13px}
nav{padding:8px 28px;border-bottom:1px solid var(--line);background:var(--panel);position:sticky;top:0;z-index:2}
nav a{margin-right:14px;color:var(--accent);text-decoration:none;font-size:14px;white-space:nowrap}
nav a:hover{text-decoration:underline}
nav details{display:inline-block;font-size:14px}
nav details[open]{display:block;margin-top:4px}
nav summary{cursor:pointer;color:var(--accent)}
nav details div{margin:2px 0 0 12px}
.chart .tick{font-size:10px}
main{padding:8px 28px 40px;max-width:1400px}
h2{font-size:19px;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:16px;margin:18px 0 6px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.muted{color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:150px}
.card b{display:block;font-size:18px}
.card span{color:var(--muted);font-size:12px}
.suspect{border:1px solid var(--line);border-left:5px solid var(--bad);border-radius:6px;padding:10px 14px;margin:12px 0;background:#fff}
.suspect h3{margin:0 0 4px;overflow-wrap:anywhere}
.kind{display:inline-block;background:#fde7e5;color:var(--bad);border-radius:10px;padding:0 8px;font-size:12px;margin-right:6px;vertical-align:middle}
.ok{color:var(--ok)}
.bad{color:var(--bad);font-weight:600}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}
dl.kv dt{color:var(--muted)}
dl.kv dd{margin:0;word-break:break-word}
ol.path{margin:2px 0;padding-left:20px}
ol.path li{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13.5px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);position:sticky;top:38px;cursor:pointer;user-select:none;white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.c{word-break:break-all;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
tr:hover td{background:#f0f5ff}
input.filter{padding:4px 8px;border:1px solid var(--line);border-radius:4px;width:320px;font:inherit}
.warn{background:#fff8e6;border:1px solid #f0d58c;border-radius:6px;padding:6px 12px;font-size:13px}
svg{display:block;max-width:100%;height:auto}
svg.treemap{width:100%}
svg.treemap a:hover rect{stroke:#1d2430;stroke-width:3}
td.loader{overflow-wrap:anywhere;word-break:normal}
svg.treemap text{font:11px system-ui,sans-serif;fill:#111;pointer-events:none}
svg.chart text{font:11px system-ui,sans-serif;fill:#5b6575}
.charts{display:flex;flex-wrap:wrap;gap:16px}
.chartbox{border:1px solid var(--line);border-radius:6px;padding:8px 12px;width:560px}
.chartbox h3{margin:0 0 4px;font-size:14px;overflow-wrap:anywhere}
#js-errors{background:#fde7e5;color:var(--bad);padding:8px 28px;white-space:pre-wrap;font-family:monospace}
#js-errors:empty{display:none}
"#;

/// Records script errors into the page (the browser test reads them from the DOM).
pub(super) const ERROR_SCRIPT: &str = r#"
(function(){
  function report(msg){
    var d=document.getElementById('js-errors');
    if(!d){d=document.createElement('div');d.id='js-errors';(document.body||document.documentElement).appendChild(d);}
    d.appendChild(document.createTextNode(String(msg)+'\n'));
  }
  window.onerror=function(msg,src,line,col){report('error: '+msg+' (line '+line+':'+col+')');};
  window.addEventListener('unhandledrejection',function(e){report('unhandled rejection: '+e.reason);});
  document.addEventListener('securitypolicyviolation',function(e){report('blocked: '+e.violatedDirective+' '+e.blockedURI);});
  var ce=console.error;console.error=function(){report('console.error: '+Array.prototype.join.call(arguments,' '));return ce.apply(console,arguments);};
})();
"#;

/// Sortable tables, the histogram filter, and the ready flag.
pub(super) const MAIN_SCRIPT: &str = r#"
(function(){
  var data=JSON.parse(document.getElementById('data').textContent);
  document.body.dataset.dumps=String(data.dumps.length);
  function key(td){var v=td.getAttribute('data-v');return v!==null?parseFloat(v):td.textContent.toLowerCase();}
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(t){
    Array.prototype.forEach.call(t.querySelectorAll('thead th'),function(th,i){
      th.title='Click to sort';
      th.addEventListener('click',function(){
        var tb=t.tBodies[0];var rows=Array.prototype.slice.call(tb.rows);
        var asc=th.dataset.dir!=='asc';
        Array.prototype.forEach.call(t.querySelectorAll('thead th'),function(o){delete o.dataset.dir;});
        th.dataset.dir=asc?'asc':'desc';
        rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);return (x<y?-1:x>y?1:0)*(asc?1:-1);});
        rows.forEach(function(r){tb.appendChild(r);});
      });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('input.filter'),function(inp){
    var t=document.getElementById(inp.getAttribute('data-table'));
    inp.addEventListener('input',function(){
      var q=inp.value.toLowerCase();
      Array.prototype.forEach.call(t.tBodies[0].rows,function(r){r.style.display=r.cells[0].textContent.toLowerCase().indexOf(q)>=0?'':'none';});
    });
  });
  document.body.dataset.ready='1';
})();
"#;
